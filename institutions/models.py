from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import InstitutionKind, Role


class InstitutionQuerySet(models.QuerySet):
    def subtree_of(self, institution: "Institution") -> "InstitutionQuerySet":
        """The institution and everything below it: one indexed prefix match."""
        from . import tree

        return self.filter(tree.subtree_q(institution))

    def in_jurisdiction_of(self, regulator: "Institution") -> "InstitutionQuerySet":
        from . import tree

        return self.filter(tree.jurisdiction_q(regulator))


class Institution(models.Model):
    """A node of the institution tree: a supervising office, a bank and its branches
    down to the outlet.

    ``path`` is a materialised path of zero-padded primary keys ("0000001/0000004/"),
    so a subtree is one ``LIKE 'prefix%'`` on an index instead of a recursive walk.
    ``regulator`` names the supervising office whose jurisdiction the node belongs
    to; it is inherited from the parent when not given.
    """

    code = models.CharField(
        _("机构代码"),
        max_length=32,
        unique=True,
        help_text=_("统一社会信用代码或内部机构代码，用于投诉编号和数据交换"),
    )
    name = models.CharField(_("机构名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("机构类型"), max_length=20, choices=InstitutionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    regulator = models.ForeignKey(
        "self",
        verbose_name=_("所属监管机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised",
        limit_choices_to={"kind": InstitutionKind.REGULATOR},
    )
    path = models.CharField(max_length=255, editable=False, db_index=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    unified_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # Published complaint information (county rules: 公示投诉电话、受理部门、范围、时限).
    complaint_phone = models.CharField(_("投诉电话"), max_length=40, blank=True)
    complaint_department = models.CharField(_("受理部门"), max_length=80, blank=True)
    complaint_scope = models.TextField(_("受理范围"), blank=True)
    complaint_time_limit = models.CharField(_("处理时限"), max_length=200, blank=True)
    hotline = models.CharField(
        _("监管热线"), max_length=20, blank=True, help_text=_("如 12363 或 12378，仅监管机构填写")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%'
            # whatever the database collation; other backends ignore the opclass.
            models.Index(
                fields=["path"], name="institution_path_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Path and jurisdiction are structural invariants of the tree (not business
        # rules): they are kept here so that no code path, admin or import, can save a
        # node without them. ``institutions.tree`` owns how.
        from . import tree

        if self.kind != InstitutionKind.REGULATOR and self.parent_id:
            self.regulator_id = tree.inherited_regulator_id(self)
        old_path, old_regulator_id = self.path, self._loaded_regulator_id
        super().save(*args, **kwargs)
        tree.place(self, old_path, old_regulator_id)
        self._loaded_regulator_id = self.regulator_id

    @classmethod
    def from_db(cls, db, field_names, values):
        node = super().from_db(db, field_names, values)
        node._loaded_regulator_id = node.__dict__.get("regulator_id")
        return node

    _loaded_regulator_id: int | None = None

    def clean(self) -> None:
        from . import tree

        if self.parent_id and self.pk and tree.is_within(self.parent, self):
            raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})
        if self.regulator_id and self.regulator.kind != InstitutionKind.REGULATOR:
            raise ValidationError({"regulator": _("所属监管机构必须是监管机构类型。")})
        if self.parent_id and self.kind != InstitutionKind.REGULATOR:
            # Below a parent the jurisdiction is the parent's: shown, not chosen.
            self.regulator_id = tree.inherited_regulator_id(self)

    def is_descendant_of(self, other: "Institution") -> bool:
        from . import tree

        return tree.is_within(self, other)

    @property
    def is_regulator(self) -> bool:
        return self.kind == InstitutionKind.REGULATOR

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person who signs in: belongs to one institution with one role.

    Superusers may have no institution; everyone else needs one to see anything.
    """

    full_name = models.CharField(_("姓名"), max_length=40, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.REGULATOR and not (self.institution and self.institution.is_regulator):
            raise ValidationError({"role": _("人民银行监管员必须属于监管机构。")})
        if self.role and self.role != Role.SYSADMIN and not self.institution_id:
            raise ValidationError({"institution": _("请选择所属机构。")})

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class ReferenceRevision(models.Model):
    """One row whose random token changes whenever institutions, the complaint
    taxonomy or the staff change.

    A cached select showing options built from them is keyed by this token
    (``institutions.options``); a random token (not a counter) stays correct when
    the transaction that changed the data is rolled back. Maintained by
    ``institutions.options.changed`` (signals, and any bulk loader that bypasses
    them).
    """

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("参考数据版本")
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.token
