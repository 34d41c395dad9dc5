"""Requesting and building quarterly report packs."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.enums import PiiAccessKind
from complaints.errors import PermissionRefused, WorkflowError
from complaints.services import pii_access_record
from config.routers import replica_reads
from institutions import access
from institutions.models import Institution, User
from reports.rules import can_generate_reports

from .builder import Quarter, build
from .models import ReportPack

log = logging.getLogger(__name__)


def report_pack_request(*, user: User, year: int, quarter: int, root: Institution) -> ReportPack:
    """Queue a pack; the worker builds it (a large county must not time out the web
    request). The task is sent after commit so it always finds the row."""
    if not can_generate_reports(user):
        raise PermissionRefused(_("您无权生成报表。"))
    if not access.can_see_institution(user, root):
        raise WorkflowError(_("统计范围不在您的管辖范围内。"), code="institution_out_of_scope")
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= timezone.localdate().year:
        raise WorkflowError(_("请选择有效的年度和季度。"), code="bad_period")
    pack = ReportPack.objects.create(year=year, quarter=quarter, root=root, requested_by=user)
    transaction.on_commit(lambda: _enqueue(pack.pk))
    return pack


def _enqueue(pack_id) -> None:
    from .tasks import build_report_pack

    try:
        build_report_pack.delay(str(pack_id))
    except Exception:  # broker down: the pack stays pending and can be retried
        log.warning("broker unavailable; report pack %s stays pending", pack_id)


def report_pack_build(pack_id) -> ReportPack | None:
    """Build one pack. Idempotent: a pack already done is left alone; a retried one is
    rebuilt from scratch."""
    pack = ReportPack.objects.select_related("root", "requested_by").filter(pk=pack_id).first()
    if pack is None or pack.status == ReportPack.Status.DONE:
        return pack

    def progress(percent: int, step: str) -> None:
        ReportPack.objects.filter(pk=pack.pk).update(
            status=ReportPack.Status.RUNNING, progress=percent, step=step[:60]
        )

    progress(1, _("开始"))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "pack.xlsx"
            # The figures are read from the replica when there is one (a quarter
            # closed weeks ago does not need the last second); progress is written
            # to the primary.
            with replica_reads():
                build(
                    user=pack.requested_by,
                    quarter=Quarter(pack.year, pack.quarter),
                    root=pack.root,
                    path=str(path),
                    progress=progress,
                )
            name = f"{pack.root.code}-{pack.year}Q{pack.quarter}-{pack.pk.hex[:8]}.xlsx"
            with path.open("rb") as f:
                pack.file.save(name, File(f), save=False)
    except Exception as e:
        log.exception("report pack %s failed", pack.pk)
        ReportPack.objects.filter(pk=pack.pk).update(status=ReportPack.Status.FAILED, error=str(e))
        raise
    pack.status, pack.progress, pack.step = ReportPack.Status.DONE, 100, _("完成")
    pack.finished_at = timezone.now()
    pack.save(update_fields=["file", "status", "progress", "step", "finished_at"])
    # The pack contains (masked) personal data: its generation is an export.
    pii_access_record(
        user=pack.requested_by,
        complaint=None,
        kind=PiiAccessKind.EXPORT,
        fields=["masked"],
        note=f"report pack {pack.pk}",
    )
    return pack
