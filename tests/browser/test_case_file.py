"""The case file in Chromium: a teller attaches a photo at intake, the handler sees
it on the complaint page and downloads it (without its GPS position); a manager
answers with an answer template filled for them."""

import io
import re

from PIL import Image

from complaints.models import AnswerTemplate, Complaint
from institutions.models import Institution, User
from tests.browser.helpers import act, logout


def photo_with_gps(path):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (37.0, 4.0, 12.0), 3: "E", 4: (115.0, 40.0, 1.0)}
    Image.new("RGB", (64, 48), (20, 120, 200)).save(path, "JPEG", exif=exif.tobytes())
    return path


def test_photo_at_intake_download_and_answer_template(demo, login, page, live_server, tmp_path):
    login("rcb_teller")
    page.goto(f"{live_server.url}/complaints/new/")
    page.fill("#id_complainant_name", "钱多多")
    page.fill("#id_complainant_phone", "13933335555")
    page.fill("#id_description", "柜台多收手续费，已拍下回单")
    page.fill("#id_demand", "退还多收的手续费")
    page.select_option("#id_cause", label="金融机构服务设施、设备、业务系统")
    page.set_input_files("#id_e-evidence", str(photo_with_gps(tmp_path / "回单.jpg")))
    page.select_option("#id_e-evidence_kind", "receipt")
    page.click("#intake-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/complaints/\d+/$"))
    c = Complaint.objects.get(tracking_no=page.get_by_test_id("tracking-no").inner_text())
    detail = f"{live_server.url}/complaints/{c.pk}/"
    assert "回单.jpg" in page.get_by_test_id("attachments").inner_text()
    logout(page)

    login("rcb_manager")
    page.goto(detail)
    handler = User.objects.get(username="rcb_handler")

    def assign(box):
        box.locator("select[name=institution]").select_option(str(handler.institution_id))
        box.locator("select[name=handler]").select_option(str(handler.pk))

    act(page, "assign", assign)
    logout(page)

    # The handler sees the photo and downloads it: the same picture, no GPS.
    login("rcb_handler")
    page.goto(detail)
    files = page.get_by_test_id("attachments")
    assert "凭证、回单" in files.inner_text()
    with page.expect_download() as info:
        files.get_by_test_id("attachment-download").click()
    data = open(info.value.path(), "rb").read()  # noqa: SIM115
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))
        assert 0x8825 not in image.getexif()
    act(page, "start")

    def resolve(box):
        box.locator("textarea[name=findings]").fill("系统误收，已核实")
        box.locator("input[name=is_valid][value='1']").check()
        box.locator("textarea[name=measures]").fill("退还手续费并致歉")

    act(page, "resolve", resolve)
    logout(page)

    # The manager answers with the bank's template, filled on the server.
    AnswerTemplate.objects.create(
        institution=Institution.objects.get(pk=c.handling_institution.path.split("/")[1]),
        title="手续费退还答复",
        text="尊敬的{customer_name}：您的投诉（编号 {tracking_no}）已办结，多收费用已退还。",
    )
    login("rcb_manager")
    page.goto(detail)
    box = page.locator('details[data-offered-action="answer"]')
    box.locator("summary").click()
    box.get_by_test_id("answer-template").select_option(label="手续费退还答复")
    note = box.locator("textarea[name=note]")
    assert note.input_value() == (
        f"尊敬的钱多多：您的投诉（编号 {c.tracking_no}）已办结，多收费用已退还。"
    )
    box.locator("input[name=satisfaction][value=satisfied]").check()
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("status").inner_text() == "已反馈"
    c.refresh_from_db()
    assert c.answer_note.startswith("尊敬的钱多多")
