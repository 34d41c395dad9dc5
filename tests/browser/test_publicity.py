"""Done-when of issue 7: a demo outlet records its 3·15 activity in the browser, and
the regulator's campaign summary shows the county totals including it."""

from publicity.demo import THEME
from publicity.models import Campaign
from publicity.selectors import campaign_summary
from tests.publicity.factories import png_bytes


def test_outlet_records_315_activity_and_regulator_sees_it_in_county_totals(
    demo, login, page, live_server, settings, tmp_path
):
    from institutions.models import User

    settings.MEDIA_ROOT = tmp_path / "media"
    campaign = Campaign.objects.get(theme=THEME)
    before = campaign_summary(user=User.objects.get(username="pbc_supervisor"), campaign=campaign)

    login("rcb_teller")
    page.locator("details.nav-more > summary").click()  # the bar's 更多 menu
    page.get_by_role("link", name="宣传教育", exact=True).click()
    page.get_by_role("link", name=THEME).click()
    page.get_by_test_id("record-activity").click()
    page.fill("#id_title", "城区营业室“3·15”广场集中宣传")
    page.fill("#id_held_on", "2026-03-15")
    page.select_option("#id_kind", label="大型户外集中宣传")
    page.fill("#id_place", "清河县城区支行门前广场")
    page.get_by_label("反假币").check()
    page.get_by_label("防范电信诈骗").check()
    page.get_by_label("老年人").check()
    for field, value in {
        "staff_times": "9",
        "leaflets": "450",
        "sms_sent": "120",
        "people_reached": "260",
        "banners": "2",
        "consultations": "35",
    }.items():
        page.fill(f"#id_{field}", value)
    page.fill("#id_media-0-outlet", "清河电视台")
    page.fill("#id_media-0-title", "农商行走上街头宣传金融知识")
    page.fill("#id_media-0-published_on", "2026-03-16")
    page.set_input_files(
        "#id_photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_test_id("save-activity").click()
    assert page.locator("h1").inner_text() == "城区营业室“3·15”广场集中宣传"
    assert page.locator(".msg.success").inner_text() == "活动已登记。"
    assert page.locator("figure.tile img").count() == 1

    page.context.clear_cookies()
    login("pbc_supervisor")
    page.goto(f"{live_server.url}/publicity/campaigns/{campaign.pk}/")
    page.get_by_test_id("open-summary").click()

    t = before.total
    expected = {
        "outlets": t.outlets + 1,  # the city outlet had not reported before
        "activities": t.activities + 1,
        "outdoor_events": t.outdoor_events + 1,
        "staff_times": t.staff_times + 9,
        "leaflets": t.leaflets + 450,
        "sms_sent": t.sms_sent + 120,
        "people_reached": t.people_reached + 260,
    }
    shown = {code: int(page.get_by_test_id(f"total-{code}").inner_text()) for code in expected}
    assert shown == expected
    rcb = page.locator('tr[data-institution="RCB-QH"] td')
    before_rcb = next(r.totals for r in before.rows if r.institution.code == "RCB-QH")
    assert rcb.nth(0).inner_text() == "清河农村商业银行股份有限公司"
    assert int(rcb.nth(7).inner_text()) == before_rcb.people_reached + 260
    assert int(rcb.nth(15).inner_text()) == before_rcb.media_reports + 1
    assert f"受众 {t.people_reached + 260} 人次" in page.get_by_test_id("summary-text").inner_text()
