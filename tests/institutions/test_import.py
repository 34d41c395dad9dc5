"""Institution import through the admin: a preview first; a file with any bad row
imports nothing and says which row is wrong."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from institutions.models import Institution

HEADER = "机构代码,机构名称,简称,机构类型,上级机构代码,监管机构代码,投诉电话\n"


def _post(client, text: str):
    upload = SimpleUploadedFile("inst.csv", text.encode("utf-8"), content_type="text/csv")
    # format "0" is CSV, the first of import-export's default formats
    return client.post(
        reverse("admin:institutions_institution_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def test_good_file_shows_preview_then_imports(client, county):
    client.force_login(county.sysadmin)
    text = HEADER + "C-NEW,新网点,新网点,网点,BANK-A,,0319-1\nC-NEW2,新网点二,,outlet,C-NEW,,\n"
    response = _post(client, text)
    body = response.content.decode()
    assert response.status_code == 200
    assert "新网点二" in body
    assert 'name="import_file_name"' in body  # the confirm form
    assert not Institution.objects.filter(code="C-NEW").exists()  # preview writes nothing
    ctx = response.context["confirm_form"].initial
    client.post(reverse("admin:institutions_institution_process_import"), ctx)
    child = Institution.objects.get(code="C-NEW2")
    assert child.parent.code == "C-NEW"
    assert child.path.startswith(county.bank_a.path)
    assert child.regulator == county.pbc


def test_file_with_one_bad_row_imports_nothing(client, county):
    client.force_login(county.sysadmin)
    text = (
        HEADER
        + "C-OK1,好网点一,,网点,BANK-A,,\n"
        + "C-BAD,坏网点,,不存在的类型,BANK-A,,\n"
        + "C-OK2,好网点二,,网点,NO-SUCH-PARENT,,\n"
    )
    response = _post(client, text)
    body = response.content.decode()
    assert "无效的取值：不存在的类型" in body
    assert "找不到代码为“NO-SUCH-PARENT”的机构" in body
    assert 'name="import_file_name"' not in body  # no confirm button
    assert not Institution.objects.filter(code__startswith="C-").exists()
