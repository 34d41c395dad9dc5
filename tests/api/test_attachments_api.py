"""The case file in the API: multipart upload under the complaint, the list and the
detail with download links, the download's scope, and hostile uploads → 4xx."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import ComplaintAttachment, PiiAccessLog, TimelineEntry
from tests.complaints.helpers import jpeg_upload, register


def upload(client, complaint, **fields):
    return client.post(
        reverse("api:complaint-attachments", args=[complaint.pk]), fields, format="multipart"
    )


def test_upload_list_detail_and_download(api, county, intake):
    c = register(county, intake())
    teller = api(county.a_teller)
    r = upload(teller, c, files=[jpeg_upload("a.jpg"), jpeg_upload("b.jpg")], kind="receipt")
    assert r.status_code == 201, r.json()
    rows = r.json()
    assert [row["kind"] for row in rows] == ["receipt", "receipt"]
    assert all(len(row["sha256"]) == 64 for row in rows)
    assert r["ETag"] == f'W/"{c.pk}-{c.version + 1}"'
    assert TimelineEntry.objects.filter(complaint=c, action="attach").count() == 1

    listed = teller.get(reverse("api:complaint-attachments", args=[c.pk])).json()
    assert [row["id"] for row in listed] == [row["id"] for row in rows]
    detail = api(county.a_manager).get(reverse("api:complaint-detail", args=[c.pk])).json()
    link = detail["attachments"][0]["download_url"]
    assert link == reverse("api:complaint-attachment-download", args=[c.pk, rows[0]["id"]])
    got = api(county.a_manager).get(link)
    assert got.status_code == 200
    assert got["Content-Type"] == "image/jpeg"
    assert PiiAccessLog.objects.filter(kind="attachment", user=county.a_manager).count() == 1
    assert api(county.b_manager).get(link).status_code == 404
    assert (
        api(county.b_manager).get(reverse("api:complaint-attachments", args=[c.pk])).status_code
        == 404
    )


def test_transitions_list_points_attach_at_the_upload_endpoint(api, county, intake):
    c = register(county, intake())
    rows = api(county.a_teller).get(reverse("api:complaint-transitions", args=[c.pk])).json()
    attach = next(r for r in rows if r["name"] == "attach")
    assert attach["url"] == reverse("api:complaint-attachments", args=[c.pk])


def html_as_jpg():
    return SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"kind": "receipt"}, 400, "invalid"),  # no file
        ({"files": "text, not a file", "kind": "receipt"}, 400, "invalid"),
        (
            {"files": [SimpleUploadedFile("e.jpg", b"", "image/jpeg")], "kind": "receipt"},
            400,
            "invalid",
        ),
        ({"files": [html_as_jpg()], "kind": "receipt"}, 400, "invalid"),
        ({"files": [jpeg_upload()], "kind": "zip"}, 400, "invalid"),
        ({"files": [jpeg_upload("名" * 300 + ".jpg")], "kind": "receipt"}, 400, "invalid"),
        ({"files": [jpeg_upload() for _ in range(11)], "kind": "receipt"}, 400, "invalid"),
        ({"files": [jpeg_upload()], "kind": "receipt", "version": "abc"}, 400, "invalid"),
    ],
)
def test_hostile_uploads_are_4xx(api, county, intake, fields, status, code):
    c = register(county, intake())
    r = upload(api(county.a_teller), c, **fields)
    assert r.status_code == status, r.content
    assert r.json()["code"] == code
    assert not ComplaintAttachment.objects.exists()


def test_json_body_is_415_and_stranger_404(api, county, intake):
    c = register(county, intake())
    url = reverse("api:complaint-attachments", args=[c.pk])
    r = api(county.a_teller).post(url, {"kind": "receipt"}, format="json")
    assert r.status_code == 415
    r = upload(api(county.b_teller), c, files=[jpeg_upload()], kind="receipt")
    assert r.status_code == 404
    assert not ComplaintAttachment.objects.exists()


def test_upload_without_permission_is_403(api, county, intake):
    c = register(county, intake())
    # The sysadmin sees the complaint but works no case.
    r = upload(api(county.sysadmin), c, files=[jpeg_upload()], kind="receipt")
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"


def test_remove_through_the_transition(api, county, intake):
    c = register(county, intake())
    rows = upload(api(county.a_teller), c, files=[jpeg_upload()], kind="receipt").json()
    c.refresh_from_db()
    r = api(county.a_manager).post(
        reverse("api:complaint-transition-remove_attachment", args=[c.pk]),
        {"attachment": rows[0]["id"], "reason": "误传", "version": c.version},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["attachments"] == []
