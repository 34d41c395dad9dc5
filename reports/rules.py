"""Reports and data exchange: who may generate the quarterly pack and import history.

A pack is about an institution subtree the user reaches; it is visible to whoever
reaches its root institution (404 otherwise)."""

from __future__ import annotations

import rules
from django.http import Http404

from institutions.access import can_see_institution, is_regulator, is_sysadmin
from institutions.enums import Role


@rules.predicate
def can_generate_reports(user) -> bool:
    return bool(
        user.is_authenticated
        and user.institution_id
        and (is_regulator(user) or is_sysadmin(user) or user.role == Role.MANAGER)
    )


can_import_history = can_generate_reports

rules.add_perm("reports.add_reportpack", can_generate_reports)
rules.add_perm("reports.view_reportpack", can_generate_reports)
rules.add_perm("reports.import_history", can_import_history)


def report_packs_visible_to(user, queryset=None):
    from institutions.access import institution_q
    from reports.models import ReportPack

    qs = ReportPack.objects.all() if queryset is None else queryset
    if not can_generate_reports(user):
        return qs.none()
    return qs.filter(institution_q(user, "root"))


def report_pack_get_for_user(user, pk):
    try:
        return report_packs_visible_to(user).select_related("root", "requested_by").get(pk=pk)
    except Exception:  # DoesNotExist, or a malformed UUID
        raise Http404 from None


__all__ = ["can_see_institution"]


# Return formats in the admin: the office and the system administrators.
_admin = rules.predicates.is_superuser | is_regulator | is_sysadmin
for _perm in ("view", "change", "add"):
    rules.add_perm(f"reports.{_perm}_returndefinition", _admin)
rules.add_perm("reports.download_return", can_generate_reports)
