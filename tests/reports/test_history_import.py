"""The historical import at migration scale: background validation and import, the
same result in either language, coded columns stored as codes, the old number kept
and searchable, all or nothing across batches, uploads that do not linger, and the
command for operations teams."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from complaints import imports
from complaints.imports import runner
from complaints.models import Complaint, TrackingSequence
from reports import history
from reports.models import HistoryImport

HEADER = (
    "原投诉编号,受理时间,投诉来源,类型,投诉人姓名,联系电话,证件类型,证件号码,投诉事项,投诉诉求,"
    "被投诉机构代码,处理类别,状态,反馈时间,满意度\n"
)


def row(n: int, *, status="已反馈", id_type="居民身份证", source="电话", institution="A-OUT1"):
    answered = "2025-03-16 10:00" if status in ("已反馈", "answered") else ""
    return (
        f"OLD-{n:05d},2025-03-15 09:30,{source},投诉,客户{n},1381234{n:04d},{id_type},"
        f"11010519491231002X,ATM吞卡,退卡,{institution},服务渠道,{status},{answered},满意\n"
    )


def _validate(actor, text: str, language: str) -> imports.FileReport:
    import io

    with translation.override(language):
        return imports.validate_file(actor=actor, name="h.csv", stream=io.BytesIO(text.encode()))


def test_the_same_file_gives_the_same_result_in_either_language(county, categories):
    from complaints.imports.columns import accepted_values

    accepted_values.cache_clear()  # as in a fresh worker, whose first file may be English
    text = HEADER + row(1) + row(2, status="answered", id_type="passport", source="phone")
    en = _validate(county.a_manager, text, "en")
    zh = _validate(county.a_manager, text, "zh-hans")
    assert (zh.error_count, en.error_count) == (0, 0)
    assert zh.by_status == en.by_status == {"answered": 2}
    # Errors are in the reader's language; the verdict is the same.
    bad = HEADER + row(3, status="Answered?")
    assert _validate(county.a_manager, bad, "zh-hans").errors[0].column == "状态"
    en_bad = _validate(county.a_manager, bad, "en")
    assert en_bad.error_count == 1
    assert "Answered?" in en_bad.errors[0].message


def test_coded_columns_are_stored_as_codes_and_the_old_number_is_kept(county, categories):
    import io

    text = HEADER + row(1) + row(2, id_type="passport") + row(3, id_type="身份证件")
    report = _validate(county.a_manager, text, "zh-hans")
    assert [(e.row, e.column) for e in report.errors] == [(4, "证件类型")]
    text = HEADER + row(1) + row(2, id_type="passport")
    imports.import_file(
        actor=county.a_manager, name="h.csv", stream=io.BytesIO(text.encode()), source="h.csv"
    )
    stored = dict(Complaint.objects.values_list("original_no", "id_type"))
    assert stored == {"OLD-00001": "resident_id", "OLD-00002": "passport"}


def test_a_migrated_complaint_is_found_by_its_old_number_in_the_list_and_the_api(
    client, county, categories
):
    import io

    text = HEADER + row(7) + row(8)
    imports.import_file(
        actor=county.a_manager, name="h.csv", stream=io.BytesIO(text.encode()), source="h.csv"
    )
    wanted = Complaint.objects.get(original_no="OLD-00007")
    client.force_login(county.a_manager)
    body = client.get(reverse("complaints:list"), {"q": "OLD-00007"}).content.decode()
    assert wanted.tracking_no in body
    assert Complaint.objects.get(original_no="OLD-00008").tracking_no not in body
    data = client.get(reverse("api:complaint-list"), {"q": "OLD-00007"}).json()
    assert [c["tracking_no"] for c in data["results"]] == [wanted.tracking_no]
    detail = client.get(reverse("api:complaint-detail", args=[wanted.pk])).json()
    assert detail["original_no"] == "OLD-00007"


def test_one_bad_row_in_the_last_batch_rolls_back_every_earlier_batch(
    county, categories, monkeypatch
):
    import io

    monkeypatch.setattr(runner, "BATCH", 2)
    text = HEADER + "".join(row(n) for n in range(1, 6)) + row(6, institution="BANK-B")
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_file(
            actor=county.a_manager, name="h.csv", stream=io.BytesIO(text.encode()), source="x"
        )
    assert [(e.row, e.column) for e in refused.value.report.errors] == [(7, "被投诉机构代码")]
    assert not Complaint.objects.exists()
    assert not TrackingSequence.objects.exists()  # the numbers reserved went back too


def test_batches_number_each_institution_and_day_in_sequence(county, categories, monkeypatch):
    import io

    monkeypatch.setattr(runner, "BATCH", 2)
    text = HEADER + "".join(row(n) for n in range(1, 6))
    assert (
        imports.import_file(
            actor=county.a_manager, name="h.csv", stream=io.BytesIO(text.encode()), source="x"
        )
        == 5
    )
    numbers = sorted(Complaint.objects.values_list("tracking_no", flat=True))
    assert [n.rsplit("-", 1)[1] for n in numbers] == ["001", "002", "003", "004", "005"]


def _start(client, text: str) -> HistoryImport:
    f = SimpleUploadedFile("h.csv", text.encode(), content_type="text/csv")
    assert client.post(reverse("reports:import"), {"file": f}).status_code == 302
    return HistoryImport.objects.latest("created_at")


def test_cancel_deletes_the_upload_and_confirming_twice_queues_once(client, county, categories):
    client.force_login(county.a_manager)
    job = _start(client, HEADER + row(1))
    history.history_import_validate(job.pk)
    job.refresh_from_db()
    path = job.file.path
    assert job.status == "ready"
    client.post(reverse("reports:import_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert not job.file
    import os

    assert not os.path.exists(path)
    # A cancelled import cannot be confirmed.
    client.post(reverse("reports:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "cancelled"

    job = _start(client, HEADER + row(2))
    history.history_import_validate(job.pk)
    client.post(reverse("reports:import_confirm", args=[job.pk]))
    response = client.post(reverse("reports:import_confirm", args=[job.pk]), follow=True)
    assert "该导入不在待确认状态。" in response.content.decode()
    history.history_import_run(job.pk)
    history.history_import_run(job.pk)  # a redelivered task does nothing more
    assert Complaint.objects.count() == 1


def test_abandoned_uploads_are_purged_after_the_ttl(client, county, categories, settings, tmp_path):
    import os

    settings.MEDIA_ROOT = str(tmp_path)
    stray = tmp_path / "imports" / "left-by-a-crash.csv"
    client.force_login(county.a_manager)
    job = _start(client, HEADER + row(1))
    history.history_import_validate(job.pk)
    job.refresh_from_db()
    path = job.file.path
    stray.write_text("姓名,电话")
    assert history.purge() == 0  # still fresh
    later = timezone.now() + dt.timedelta(hours=settings.IMPORT_UPLOAD_TTL_HOURS + 1)
    assert history.purge(now=later) == 2
    assert not stray.exists()
    job.refresh_from_db()
    assert (job.status, bool(job.file), os.path.exists(path)) == ("cancelled", False, False)


def test_another_user_cannot_see_an_import(client, county, categories):
    client.force_login(county.a_manager)
    job = _start(client, HEADER + row(1))
    client.force_login(county.regulator)
    assert client.get(reverse("reports:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:import_errors", args=[job.pk])).status_code == 404


def test_a_file_over_the_size_limit_is_refused_with_a_message(client, county, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(county.a_manager)
    f = SimpleUploadedFile("h.csv", b"x" * (1024 * 1024 + 1), content_type="text/csv")
    response = client.post(reverse("reports:import"), {"file": f})
    assert response.status_code == 422
    assert "文件不能超过 1 MB。" in response.content.decode()
    assert not HistoryImport.objects.exists()


def test_the_command_imports_a_good_file_and_refuses_a_bad_one(county, categories, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + row(1) + row(2), encoding="utf-8")
    call_command("import_history", str(good), "--user", county.a_manager.username)
    assert Complaint.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + row(3) + row(4, institution="NOPE"), encoding="utf-8")
    errors = tmp_path / "errors.csv"
    with pytest.raises(CommandError, match="1 处错误"):
        call_command(
            "import_history", str(bad), "--user", county.a_manager.username, "--errors", errors
        )
    assert Complaint.objects.count() == 2
    assert "NOPE" in errors.read_text(encoding="utf-8-sig")
    with pytest.raises(CommandError, match="无权导入"):
        call_command("import_history", str(good), "--user", county.a_teller.username)
