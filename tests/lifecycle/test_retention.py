"""The retention run: the boundary in frozen time, what anonymisation removes and
keeps, holds, idempotence, the dry-run report and the log purge."""

import time_machine
from django.core.files.storage import storages

from complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintSearch,
    PiiAccessLog,
    TimelineEntry,
)
from lifecycle.models import Anonymisation, RetentionBatch, RetentionRun
from lifecycle.selectors import retention_preview
from lifecycle.services.anonymise import anonymise_text
from lifecycle.services.holds import legal_hold_lift, legal_hold_place
from lifecycle.services.runs import retention_dry_run, retention_run_execute
from notifications.models import ConsumerMessage
from portal.models import ConsumerAccess
from tests.complaints.factories import ComplaintFactory

from .helpers import CARD, ID_NUMBER, NAME, PHONE, at, closed_complaint


def run(**kwargs) -> RetentionRun:
    created = RetentionRun.objects.create(mode="run")
    return retention_run_execute(run_id=created.pk, **kwargs)


def test_anonymise_text_removes_known_values_numbers_and_email():
    known = {"name": "李四", "phone": PHONE, "id_number": ID_NUMBER, "address": "", "email": ""}
    text = (
        f"李四来电{PHONE}，卡号 6222 0202 0011 2233 445，另一手机13998765432，"
        "邮箱a.b@x.cn，金额1200元"
    )
    assert anonymise_text(text, known) == (
        "［姓名］来电［电话］，卡号 ［已删除］，另一手机［已删除］，邮箱［邮箱］，金额1200元"
    )
    # Tracking numbers and dates stay.
    assert anonymise_text("ABC-QH-01-20261126-007 于2026-11-26办结", known) == (
        "ABC-QH-01-20261126-007 于2026-11-26办结"
    )


def test_boundary_a_day_before_and_after_three_years(
    county, intake, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2022, 3, 10), tick=False):
        c = closed_complaint(county, intake)
    closed = Complaint.objects.get(pk=c.pk).closed_at
    assert closed == at(2022, 3, 10)
    with time_machine.travel(at(2025, 3, 9), tick=False):
        assert retention_preview()["complaints"] == 0
        assert run().complaints == 0
    assert not Anonymisation.objects.exists()
    assert Complaint.objects.get(pk=c.pk).complainant_phone == PHONE
    with time_machine.travel(at(2025, 3, 11), tick=False):
        assert retention_preview()["complaints"] == 1
        with django_capture_on_commit_callbacks(execute=True):
            done = run()
    assert (done.status, done.complaints, done.files) == ("done", 1, 2)
    assert Anonymisation.objects.get().anonymised_at == at(2025, 3, 11)


def test_anonymisation_removes_personal_data_and_keeps_the_figures(
    county, intake, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2022, 3, 10), tick=False):
        c = closed_complaint(county, intake)
    before = Complaint.objects.get(pk=c.pk)
    photo = ComplaintAttachment.objects.get(complaint=c, ref_identifier="")
    path, sha = photo.file.name, photo.sha256
    assert storages["private"].exists(path)
    with (
        time_machine.travel(at(2025, 6, 1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run()
    after = Complaint.objects.get(pk=c.pk)
    assert (after.complainant_name, after.complainant_phone, after.id_number) == (
        "［已匿名］",
        "",
        "",
    )
    assert (after.account_number, after.consumer_email, after.contact_address) == ("", "", "")
    assert after.description == "［姓名］称卡号［账号］被盗刷，联系电话［电话］，邮箱 ［邮箱］"
    assert after.demand == "请退还款项，身份证［证件号码］"
    assert after.version == before.version + 1
    kept = (
        "tracking_no",
        "received_at",
        "closed_at",
        "answered_at",
        "due_at",
        "status",
        "complained_institution_id",
        "handling_institution_id",
        "category_id",
        "business_id",
        "cause_id",
        "satisfaction",
        "amount",
        "money_recovered",
        "is_valid",
        "kind",
        "intake_source",
        "handler_id",
        "id_type",
    )
    assert [getattr(after, f) for f in kept] == [getattr(before, f) for f in kept]
    everything = " ".join(
        f"{t.note} {t.payload}" for t in TimelineEntry.objects.filter(complaint=c)
    )
    for secret in (NAME, PHONE, ID_NUMBER, CARD):
        assert secret not in everything
    assert "致电［姓名］（［电话］），核对身份证［证件号码］" in everything
    # The files: content gone, the row kept with its hash as the record.
    photo.refresh_from_db()
    assert not storages["private"].exists(path)
    assert (photo.file.name, photo.original_name, photo.sha256) == ("", "", sha)
    assert photo.removal_reason == "保存期限届满，依法匿名化删除"
    assert photo.description == "［姓名］的身份证复印件"
    recording = ComplaintAttachment.objects.get(complaint=c, ref_system="营业厅双录系统")
    assert (recording.ref_identifier, recording.sha256) == ("", "a" * 64)
    assert recording.removed_at == at(2025, 6, 1)
    message = ConsumerMessage.objects.get(reference=c.tracking_no)
    assert (message.phone, message.body) == ("", f"尊敬的［姓名］，您的投诉{c.tracking_no}已答复。")
    assert not ConsumerAccess.objects.filter(complaint=c).exists()


def test_a_second_run_changes_nothing(county, intake):
    with time_machine.travel(at(2022, 3, 10), tick=False):
        c = closed_complaint(county, intake)
    with time_machine.travel(at(2025, 6, 1), tick=False):
        first = run()
        version = Complaint.objects.get(pk=c.pk).version
        second = run()
    assert (first.complaints, second.complaints, second.files) == (1, 0, 0)
    assert Complaint.objects.get(pk=c.pk).version == version
    assert second.batches.filter(kind="complaints").count() == 0
    assert Anonymisation.objects.count() == 1
    # A finished run is not executed again (a task delivered twice).
    assert retention_run_execute(run_id=first.pk) is None


def test_legal_hold_blocks_until_lifted(county, intake):
    with time_machine.travel(at(2022, 3, 10), tick=False):
        c = closed_complaint(county, intake)
    hold = legal_hold_place(
        actor=county.regulator, complaint=c, reason="litigation", note="客户已起诉"
    )
    with time_machine.travel(at(2025, 6, 1), tick=False):
        report = retention_preview()
        assert (report["complaints"], report["held"]) == (0, 1)
        assert run().complaints == 0
        assert Complaint.objects.get(pk=c.pk).complainant_phone == PHONE
        lifted = legal_hold_lift(actor=county.sysadmin, hold=hold, note="判决已生效")
        assert (lifted.lifted_by, lifted.lifted_at) == (county.sysadmin, at(2025, 6, 1))
        assert run().complaints == 1
    assert Complaint.objects.get(pk=c.pk).complainant_phone == ""


def test_hold_is_refused_to_a_bank_manager(county, intake):
    import pytest

    from institutions.errors import PermissionRefused

    c = closed_complaint(county, intake)
    with pytest.raises(PermissionRefused):
        legal_hold_place(actor=county.a_manager, complaint=c, reason="litigation", note="x")


def test_dry_run_report_by_institution_and_year_changes_nothing(county, intake):
    with time_machine.travel(at(2021, 5, 10), tick=False):
        closed_complaint(county, intake)
    with time_machine.travel(at(2022, 3, 10), tick=False):
        closed_complaint(county, intake, complainant_phone="13900001111")
        ComplaintFactory(
            complained_institution=county.b_out1, status="archived", closed_at=at(2022, 3, 10)
        )
    with time_machine.travel(at(2025, 6, 1), tick=False):
        dry = retention_dry_run(requested_by=county.sysadmin)
    assert (dry.mode, dry.complaints, dry.files) == ("dry_run", 3, 4)
    rows = [(r["code"], r["years"], r["cells"], r["files"]) for r in dry.report["institutions"]]
    assert rows == [
        ("A-OUT1", {"2021": 1, "2022": 1}, [1, 1], 4),
        ("B-OUT1", {"2022": 1}, [0, 1], 0),
    ]
    assert dry.report["years"] == ["2021", "2022"]
    assert not Anonymisation.objects.exists()
    assert not RetentionBatch.objects.exists()


def test_expired_access_logs_notices_and_packs_are_deleted_in_batches(county, intake):
    with time_machine.travel(at(2022, 3, 10), tick=False):
        c = closed_complaint(county, intake)
        for _ in range(3):
            PiiAccessLog.objects.create(user=county.regulator, complaint=c, kind="detail")
    with time_machine.travel(at(2024, 1, 1), tick=False):
        PiiAccessLog.objects.create(user=county.regulator, complaint=c, kind="detail")
    with time_machine.travel(at(2025, 6, 1), tick=False):
        done = run(batch_size=1)  # purge batches are 10 rows: all 3 in one
    assert PiiAccessLog.objects.count() == 1
    assert done.access_logs == 3
    kinds = list(done.batches.values_list("kind", "rows"))
    assert ("access_logs", 3) in kinds
    assert ("complaints", 1) in kinds


def test_open_enforcement_case_and_pending_judicial_confirmation_hold(county):
    from mediation.models import MediationCase
    from supervision.models import EnforcementCase

    held = [
        ComplaintFactory(
            complained_institution=county.a_out1, status="archived", closed_at=at(2020, 1, 1)
        )
        for _ in range(2)
    ]
    EnforcementCase.objects.create(
        case_no="ZF-1",
        complaint=held[0],
        institution=county.a_out1,
        office=county.pbc,
        kind="special",
        summary="违规收费",
        opened_by=county.regulator,
    )
    MediationCase.objects.create(
        case_no="TJ-1",
        source="complaint",
        complaint=held[1],
        institution=county.a_out1,
        office=county.pbc,
        applicant_name="李四",
        applied_on=at(2020, 1, 1).date(),
        request="退费",
        procedure="simple",
        mode="on_site",
        due_on=at(2020, 2, 1).date(),
        opened_by=county.regulator,
        judicial_applied_on=at(2020, 1, 20).date(),
    )
    with time_machine.travel(at(2025, 6, 1), tick=False):
        assert (retention_preview()["complaints"], retention_preview()["held"]) == (0, 2)
        assert run().complaints == 0
    EnforcementCase.objects.filter(case_no="ZF-1").update(status="closed", closed_at=at(2024, 1, 1))
    with time_machine.travel(at(2025, 6, 1), tick=False):
        assert run().complaints == 1
    assert Anonymisation.objects.get().complaint == held[0]


def test_anonymised_complaint_is_not_found_by_its_former_personal_data(county, intake):
    # No on-commit callbacks run here: the search text must change in the run's own
    # transaction, so no failure after its commit can leave the name searchable.
    with time_machine.travel(at(2022, 3, 10), tick=False):
        c = closed_complaint(county, intake)
    assert NAME in ComplaintSearch.objects.get(complaint=c).text
    with time_machine.travel(at(2025, 6, 1), tick=False):
        run()
    text = ComplaintSearch.objects.get(complaint=c).text
    for secret in (NAME, PHONE, ID_NUMBER, CARD):
        assert secret not in text
    assert "被盗刷" in text
