"""The institution tree: the one module that knows how the tree is stored.

Each node keeps a materialised ``path`` of zero-padded primary keys, root first
("0000001/0000004/"), so a subtree is one indexed ``LIKE 'prefix%'`` and a node's
ancestors are read off its own row without a query. Nothing outside this module
parses a path or filters on it; everything else asks here: the subtree or the
jurisdiction of a node as a filter on any field, a node's ancestors, the managers over
it, its supervising office.

Jurisdiction (``regulator``) follows the tree: a supervising office is named on a top
node (a bank's provincial or county head office) and every node below inherits it.
:func:`place` keeps both the path and the jurisdiction of a node and its whole subtree
right whenever a node is saved, so moving a branch to another bank moves it, and all
below it, into that bank's office's jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db.models import BigIntegerField, Case, Q, QuerySet, Value, When
from django.db.models.functions import Concat, Length, Substr

from .enums import InstitutionKind, Role

if TYPE_CHECKING:
    from .models import Institution, User

PATH_STEP = 7  # "0000042/" — zero-padded pk plus separator; 9,999,999 institutions


def _prefix(field: str) -> str:
    return f"{field}__" if field else ""


# --- Reading a node ----------------------------------------------------------------------


def ancestor_ids(node: Institution) -> list[int]:
    """The primary keys from the root down to ``node`` itself (no query)."""
    return [int(step) for step in node.path.split("/") if step]


def with_ancestors_and_office(node: Institution) -> list[int]:
    """``node``, every ancestor of it and its supervising office: the institutions
    whose published material (campaigns, typical cases) reaches people at ``node``."""
    pks = ancestor_ids(node)
    if node.regulator_id:
        pks.append(node.regulator_id)
    return pks or [node.pk]


def is_within(node: Institution, ancestor: Institution) -> bool:
    """Whether ``node`` is ``ancestor`` or lies below it."""
    return node.path.startswith(ancestor.path)


def nearest_of(node: Institution, candidates: Iterable[int]) -> int | None:
    """The highest of ``node``'s ancestors (or itself) that is among ``candidates``."""
    wanted = set(candidates)
    return next((pk for pk in ancestor_ids(node) if pk in wanted), None)


def bank_root_id(node: Institution) -> int:
    """The top of the bank (or cooperative) the node belongs to: its highest ancestor
    below its supervising office, or the node itself when it is that top (no query).
    A supervising office is its own root."""
    steps = ancestor_ids(node)
    if node.kind == InstitutionKind.REGULATOR:
        return node.pk
    if node.regulator_id in steps:
        # The bank hangs below its office in the tree: the step after the office.
        return steps[steps.index(node.regulator_id) + 1]
    return steps[0] if steps else node.pk


def supervising_office_id(node: Institution) -> int | None:
    """The office whose jurisdiction the node belongs to (an office is its own)."""
    return node.pk if node.kind == InstitutionKind.REGULATOR else node.regulator_id


# --- Filters on any field that leads to an institution ---------------------------------


def subtree_q(node: Institution, field: str = "") -> Q:
    """Rows whose institution (through ``field``) is ``node`` or below it."""
    return Q(**{f"{_prefix(field)}path__startswith": node.path})


def under_any_q(nodes: Iterable[Institution], field: str = "") -> Q:
    """Rows whose institution lies in any of the subtrees (nothing for no nodes)."""
    q = Q(pk__in=[])
    for node in nodes:
        q |= subtree_q(node, field)
    return q


def jurisdiction_q(office: Institution, field: str = "") -> Q:
    """Rows whose institution is the office or in its jurisdiction."""
    prefix = _prefix(field)
    return Q(**{f"{prefix}regulator_id": office.pk}) | Q(**{f"{prefix}pk": office.pk})


def area_q(root: Institution | None, field: str = "") -> Q:
    """An office's jurisdiction or a bank's subtree; ``None`` adds no condition."""
    if root is None:
        return Q()
    return jurisdiction_q(root, field) if root.is_regulator else subtree_q(root, field)


def bank_roots_q(field: str = "") -> Q:
    """Rows whose institution (through ``field``) is the top of a bank: a node with
    no parent or whose parent is a supervising office (offices themselves excluded)."""
    prefix = _prefix(field)
    top = Q(**{f"{prefix}parent__isnull": True}) | Q(
        **{f"{prefix}parent__kind": InstitutionKind.REGULATOR}
    )
    return top & ~Q(**{f"{prefix}kind": InstitutionKind.REGULATOR})


def ancestors_or_subtree_q(node: Institution, field: str = "") -> Q:
    """The node, everything above it and everything below it."""
    prefix = _prefix(field)
    return subtree_q(node, field) | Q(**{f"{prefix}pk__in": ancestor_ids(node)})


def which_subtree(roots: Sequence[Institution], field: str = "", default: int | None = None):
    """An SQL expression: the pk of the first of ``roots`` whose subtree holds the row's
    institution (through ``field``), else ``default``."""
    return Case(
        *(When(subtree_q(root, field), then=Value(root.pk)) for root in roots),
        default=Value(default),
        output_field=BigIntegerField(),
    )


# --- People over a node ------------------------------------------------------------------
# The one resolver of "who is responsible above this institution": notices, urges and
# circulations all ask here (the sweep batches the same rule over its cached staff).


def _active(role: str) -> QuerySet[User]:
    from .models import User

    return User.objects.filter(role=role, is_active=True)


def managers_over(node: Institution) -> QuerySet[User]:
    """Complaint managers of the node and of every node above it."""
    return _active(Role.MANAGER).filter(institution_id__in=ancestor_ids(node))


def managers_at(node: Institution) -> QuerySet[User]:
    """Complaint managers of the node itself."""
    return _active(Role.MANAGER).filter(institution_id=node.pk)


def managers_within(node: Institution) -> QuerySet[User]:
    """Complaint managers of the node and of every node below it."""
    return _active(Role.MANAGER).filter(subtree_q(node, "institution"))


def office_supervisors(node: Institution) -> QuerySet[User]:
    """The supervisors of the office whose jurisdiction holds the node."""
    office_id = supervising_office_id(node)
    if office_id is None:
        return _active(Role.REGULATOR).none()
    return _active(Role.REGULATOR).filter(institution_id=office_id)


# --- Keeping the tree right --------------------------------------------------------------


def inherited_regulator_id(node: Institution) -> int | None:
    """The jurisdiction a node below a parent must have: the parent office itself, or
    the parent's own. ``None`` for a top node (its office is named on it)."""
    parent = node.parent
    if parent is None:
        return None
    return parent.pk if parent.kind == InstitutionKind.REGULATOR else parent.regulator_id


def place(node: Institution, old_path: str, old_regulator_id: int | None) -> None:
    """After ``node`` was saved: give it its path and depth, and carry a change of
    path or of jurisdiction down to its whole subtree (one statement each)."""
    from .models import Institution

    prefix = node.parent.path if node.parent is not None else ""
    new_path = f"{prefix}{node.pk:0{PATH_STEP - 1}d}/"
    manager = Institution.objects
    if new_path != old_path:
        node.path = new_path
        node.depth = len(new_path) // PATH_STEP - 1
        manager.filter(pk=node.pk).update(path=new_path, depth=node.depth)
        if old_path:
            # Moved: rewrite every descendant's prefix. Each step has the same width,
            # so depth follows from the path's length.
            moved = Concat(Value(new_path), Substr("path", len(old_path) + 1))
            manager.filter(path__startswith=old_path).exclude(pk=node.pk).update(
                path=moved, depth=Length(moved) / PATH_STEP - 1
            )
    if old_path and node.regulator_id != old_regulator_id and not node.is_regulator:
        manager.filter(subtree_q(node)).exclude(pk=node.pk).exclude(
            kind=InstitutionKind.REGULATOR
        ).update(regulator_id=node.regulator_id)
