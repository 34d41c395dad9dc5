"""The case file through the workflow: staff upload (metadata stripped, hashed),
scoped and logged downloads, removal with a reason, recording references, intake."""

import hashlib
import io

import pytest
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from PIL import Image

from complaints.errors import WorkflowError
from complaints.models import ComplaintAttachment, PiiAccessLog, TimelineEntry
from complaints.workflow import complaint_act

from .helpers import jpeg_upload, recording_ref, register


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (37.0, 4.0, 12.0), 3: "E", 4: (115.0, 40.0, 1.0)}
    return exif.tobytes()


@pytest.fixture
def attached(county, intake):
    c = register(county, intake())
    photo = jpeg_upload("IMG_0001.jpg", exif=gps_exif())
    with Image.open(io.BytesIO(photo.read())) as original:
        assert 0x8825 in original.getexif()  # the upload does carry a GPS position
    photo.seek(0)
    complaint_act(
        actor=county.a_teller,
        complaint_id=c.pk,
        action="attach",
        files=[photo],
        kind="receipt",
        description="转账回单",
    )
    return c, c.attachments.get()


def test_stored_image_has_no_exif_and_its_sha256(attached):
    c, a = attached
    with a.file.open("rb") as f:
        stored = f.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert a.sha256 == hashlib.sha256(stored).hexdigest()
    assert (a.kind, a.description, a.content_type, a.source) == (
        "receipt",
        "转账回单",
        "image/jpeg",
        "staff",
    )
    assert a.size == len(stored)
    row = TimelineEntry.objects.get(complaint=c, action="attach")
    assert row.payload == {"attachments": [a.pk], "kind": "receipt"}


def test_refused_upload_changes_nothing(county, intake):
    c = register(county, intake())
    html = jpeg_upload("x.jpg")
    html.file = io.BytesIO(b"<html><script>alert(1)</script></html>")
    html.size = 38
    with pytest.raises(WorkflowError) as exc:
        complaint_act(actor=county.a_teller, complaint_id=c.pk, action="attach", files=[html])
    assert exc.value.code == "attachment_refused"
    assert not ComplaintAttachment.objects.exists()
    assert not TimelineEntry.objects.filter(action="attach").exists()


def test_download_by_another_bank_is_404_and_each_download_logged(county, attached):
    c, a = attached
    url = reverse("complaints:attachment", args=[c.pk, a.pk])
    other = Client()
    other.force_login(county.b_manager)
    assert other.get(url).status_code == 404
    assert (
        other.get(reverse("api:complaint-attachment-download", args=[c.pk, a.pk])).status_code
        == 404
    )
    assert not PiiAccessLog.objects.filter(kind="attachment").exists()

    mine = Client()
    mine.force_login(county.a_manager)
    r = mine.get(url + "?download=1")
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    assert c.tracking_no in r["Content-Disposition"]
    assert "IMG_0001" not in r["Content-Disposition"]
    b"".join(r.streaming_content)
    mine.get(reverse("api:complaint-attachment-download", args=[c.pk, a.pk]))
    logs = PiiAccessLog.objects.filter(kind="attachment").order_by("pk")
    assert [(x.user, x.complaint, x.note) for x in logs] == [
        (county.a_manager, c, f"attachment:{a.pk}"),
        (county.a_manager, c, f"attachment:{a.pk}"),
    ]


def test_removal_writes_timeline_hides_file_and_deletes_content(county, attached):
    c, a = attached
    name = a.file.name
    storage = storages["private"]
    assert storage.exists(name)
    with pytest.raises(WorkflowError):  # the teller adds files but removes none
        complaint_act(
            actor=county.a_teller,
            complaint_id=c.pk,
            action="remove_attachment",
            attachment=a,
            reason="误传",
        )
    with pytest.raises(WorkflowError) as exc:
        complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="remove_attachment",
            attachment=a,
            reason="  ",
        )
    assert exc.value.code == "missing_field"
    complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="remove_attachment",
        attachment=a,
        reason="客户要求删除身份证复印件",
    )
    a.refresh_from_db()
    assert a.removed_by == county.a_manager
    assert a.removed_at is not None
    assert a.removal_reason == "客户要求删除身份证复印件"
    row = TimelineEntry.objects.get(complaint=c, action="remove_attachment")
    assert (row.note, row.payload["attachment"]) == ("客户要求删除身份证复印件", a.pk)

    client = Client()
    client.force_login(county.a_manager)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert reverse("complaints:attachment", args=[c.pk, a.pk]) not in page
    assert client.get(reverse("complaints:attachment", args=[c.pk, a.pk])).status_code == 404
    api = client.get(reverse("api:complaint-detail", args=[c.pk])).json()
    assert api["attachments"] == []


def test_removal_deletes_the_content_on_commit(
    county, attached, django_capture_on_commit_callbacks
):
    c, a = attached
    name = a.file.name
    with django_capture_on_commit_callbacks(execute=True):
        complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="remove_attachment",
            attachment=a,
            reason="误传",
        )
    assert not storages["private"].exists(name)


def test_recording_reference_has_no_file(county, intake):
    c = register(county, intake())
    complaint_act(
        actor=county.a_teller, complaint_id=c.pk, action="attach_recording", **recording_ref(c)
    )
    ref = c.attachments.get()
    assert (ref.is_reference, bool(ref.file), ref.kind) == (True, False, "recording_ref")
    assert (ref.ref_system, ref.ref_identifier, ref.sha256) == (
        "营业厅双录系统",
        "REC-2026-0001",
        "a" * 64,
    )
    client = Client()
    client.force_login(county.a_manager)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "REC-2026-0001" in page
    assert client.get(reverse("complaints:attachment", args=[c.pk, ref.pk])).status_code == 404
    bad = {**recording_ref(c), "ends_at": recording_ref(c)["starts_at"]}
    with pytest.raises(WorkflowError):
        complaint_act(actor=county.a_teller, complaint_id=c.pk, action="attach_recording", **bad)
    with pytest.raises(WorkflowError):
        complaint_act(
            actor=county.a_teller,
            complaint_id=c.pk,
            action="attach_recording",
            **{**recording_ref(c), "sha256": "not-a-hash"},
        )


def test_print_form_lists_names_only(county, attached):
    c, a = attached
    client = Client()
    client.force_login(county.a_manager)
    page = client.get(reverse("complaints:print", args=[c.pk])).content.decode()
    assert "案卷材料" in page
    assert "转账回单" in page
    assert reverse("complaints:attachment", args=[c.pk, a.pk]) not in page


def test_teller_attaches_at_intake(county, intake, client):
    client.force_login(county.a_teller)
    data = intake(id_type="", id_number="")
    post = {
        **{k: v for k, v in data.items() if v is not None},
        "complained_institution": data["complained_institution"].pk,
        "category": data["category"].pk,
        "e-evidence": [jpeg_upload("counter.jpg", exif=gps_exif())],
        "e-evidence_kind": "screenshot",
    }
    r = client.post(reverse("complaints:create"), post)
    assert r.status_code == 302, (r.context["form"].errors, r.context["evidence"].errors)
    a = ComplaintAttachment.objects.get()
    assert (a.kind, a.uploaded_by, a.original_name) == (
        "screenshot",
        county.a_teller,
        "counter.jpg",
    )
    assert TimelineEntry.objects.filter(complaint=a.complaint, action="attach").count() == 1


def test_intake_refuses_html_named_jpg(county, intake, client):
    client.force_login(county.a_teller)
    data = intake()
    fake = jpeg_upload("photo.jpg")
    fake.file = io.BytesIO(b"<html><body>hi</body></html>")
    fake.size = 28
    post = {
        **{k: v for k, v in data.items() if v is not None},
        "complained_institution": data["complained_institution"].pk,
        "category": data["category"].pk,
        "e-evidence": [fake],
    }
    r = client.post(reverse("complaints:create"), post)
    assert r.status_code == 200
    assert "不是可接受的文件" in r.content.decode()
    assert not ComplaintAttachment.objects.exists()


def test_s3_setting_builds_the_s3_storage(monkeypatch):
    import environ
    from django.core.files.storage import StorageHandler
    from storages.backends.s3 import S3Storage

    from config.storage import private_storage_setting

    monkeypatch.setenv("ATTACHMENT_S3_BUCKET", "complaints-evidence")
    monkeypatch.setenv("ATTACHMENT_S3_ENDPOINT_URL", "https://minio.bank.internal:9000")
    entry = private_storage_setting("s3", environ.Env())
    storage = StorageHandler({"private": entry})["private"]
    assert isinstance(storage, S3Storage)
    assert (storage.bucket_name, storage.endpoint_url, storage.default_acl) == (
        "complaints-evidence",
        "https://minio.bank.internal:9000",
        "private",
    )
    assert storage.file_overwrite is False
    assert private_storage_setting("local", environ.Env())["BACKEND"] == (
        "complaints.attachments.PrivateStorage"
    )
    with pytest.raises(ValueError, match="ATTACHMENT_STORAGE"):
        private_storage_setting("ftp", environ.Env())


def test_refused_file_on_the_page_says_why(county, intake, client):
    c = register(county, intake())
    client.force_login(county.a_teller)
    svg = jpeg_upload("logo.jpg")
    svg.file = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    svg.size = 56
    r = client.post(
        reverse("complaints:act", args=[c.pk, "attach"]),
        {"version": c.version, "files": [svg], "kind": "screenshot"},
        follow=True,
    )
    page = r.content.decode()
    assert "“logo.jpg”不是可接受的文件" in page
    assert not ComplaintAttachment.objects.exists()


def test_timeline_names_the_kind_not_the_file(county, attached):
    c, _a = attached
    client = Client()
    client.force_login(county.a_manager)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert "凭证、回单" in timeline
    assert "IMG_0001" not in timeline
