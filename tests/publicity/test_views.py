"""Pages: happy paths with exact content, and the not-found and forbidden cases with
data that could leak."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from publicity.models import Activity, ActivityPhoto
from tests.publicity.factories import ActivityFactory, ActivityPhotoFactory, png_bytes


def _activity_post(county, topic_map, **overrides):
    data = {
        "institution": county.a_out1.pk,
        "title": "城关网点3·15阵地宣传",
        "held_on": "2026-03-15",
        "kind": "outlet",
        "place": "营业厅",
        "topics": [topic_map["反假币"].pk, topic_map["征信"].pk],
        "staff_times": "6",
        "leaflets": "300",
        "sms_sent": "0",
        "people_reached": "150",
        "banners": "1",
        "boards": "0",
        "desks": "1",
        "consultations": "40",
        "complaints_on_site": "0",
        "mediated_on_site": "0",
        "money_recovered": "0",
        "online_reads": "0",
        "description": "",
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "20",
        "media-0-outlet": "县电视台",
        "media-0-title": "民生热线",
        "media-0-published_on": "2026-03-15",
        "media-0-url": "",
    }
    data.update(overrides)
    return data


def _create_url(publicity):
    return reverse("publicity:activity_create", args=[publicity.campaign.pk])


def test_teller_records_activity_with_photo(client, county, publicity, topics):
    client.force_login(county.a_teller)
    data = _activity_post(county, topics)
    data["photos"] = [SimpleUploadedFile("现场.png", png_bytes())]
    response = client.post(_create_url(publicity), data)
    activity = Activity.objects.get(title="城关网点3·15阵地宣传")
    assert response.status_code == 302
    assert response.url == reverse("publicity:activity_detail", args=[activity.pk])
    assert (activity.staff_times, activity.people_reached, activity.recorded_by) == (
        6,
        150,
        county.a_teller,
    )
    assert list(activity.media_reports.values_list("outlet", flat=True)) == ["县电视台"]
    assert activity.photos.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"leaflets": "-5"}, "leaflets", "不能为负数。"),
        ({"money_recovered": "-0.01"}, "money_recovered", "不能为负数。"),
        (
            {"held_on": "2026-04-01"},
            "held_on",
            "活动日期必须在“2026年“3·15”金融消费者权益日宣传教育活动”的活动期间"
            "（2026年3月1日至2026年3月31日）之内。",
        ),
        ({"topics": []}, "topics", "请至少选择一项宣传主题。"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_saved(
    client, county, publicity, topics, overrides, field, message
):
    client.force_login(county.a_teller)
    before = Activity.objects.count()
    response = client.post(_create_url(publicity), _activity_post(county, topics, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert Activity.objects.count() == before


def test_non_image_upload_is_refused_and_nothing_saved(client, county, publicity, topics):
    client.force_login(county.a_teller)
    data = _activity_post(county, topics)
    data["photos"] = [
        SimpleUploadedFile("照片.jpg", b"hello, I am text", content_type="image/jpeg")
    ]
    response = client.post(_create_url(publicity), data)
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == [
        "“照片.jpg”不是有效的图片文件，只能上传 JPEG、PNG、GIF 或 WebP 格式的照片。"
    ]
    assert not Activity.objects.filter(title="城关网点3·15阵地宣传").exists()
    assert not ActivityPhoto.objects.exists()


def test_teller_cannot_record_for_other_bank_outlet(client, county, publicity, topics):
    client.force_login(county.b_teller)
    data = _activity_post(county, topics)  # institution = bank A's outlet
    response = client.post(_create_url(publicity), data)
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors
    assert not Activity.objects.filter(title="城关网点3·15阵地宣传").exists()


def test_activity_list_shows_only_own_bank(client, county, publicity):
    client.force_login(county.b_manager)
    body = client.get(reverse("publicity:activity_list")).content.decode()
    assert "乙一网点送知识下乡" in body
    for title in ("甲一网点户外宣传", "甲行广场集中宣传", "人行主会场", "邻县丙行活动"):
        assert title not in body


def test_campaign_detail_lists_only_visible_activities(client, county, publicity):
    client.force_login(county.a_teller)
    url = reverse("publicity:campaign_detail", args=[publicity.campaign.pk])
    page = client.get(url).context["page"]
    assert {a.title for a in page} == {"甲一网点户外宣传", "甲一网点阵地宣传"}


@pytest.mark.parametrize("who", ["b_manager", "b_teller", "a2_teller", "other_regulator"])
def test_other_banks_activity_detail_and_photo_are_not_found(client, county, publicity, who):
    photo = ActivityPhotoFactory(activity=publicity.a1)
    client.force_login(getattr(county, who))
    assert (
        client.get(reverse("publicity:activity_detail", args=[publicity.a1.pk])).status_code == 404
    )
    assert (
        client.get(reverse("publicity:activity_update", args=[publicity.a1.pk])).status_code == 404
    )
    assert client.get(reverse("publicity:photo", args=[photo.pk])).status_code == 404
    assert client.post(reverse("publicity:photo_delete", args=[photo.pk])).status_code == 404
    assert ActivityPhoto.objects.filter(pk=photo.pk).exists()


def test_other_county_campaign_is_not_found(client, county, publicity):
    client.force_login(county.other_regulator)
    for name in ("campaign_detail", "campaign_summary", "campaign_summary_xlsx"):
        url = reverse(f"publicity:{name}", args=[publicity.campaign.pk])
        assert client.get(url).status_code == 404


def test_photo_is_served_with_safe_headers(client, county, publicity):
    photo = ActivityPhotoFactory(activity=publicity.a1)
    client.force_login(county.a_manager)
    response = client.get(reverse("publicity:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{photo.pk.hex}.png"'
    assert b"".join(response.streaming_content) == png_bytes()


def test_unknown_photo_id_is_not_found(client, county):
    client.force_login(county.regulator)
    url = reverse("publicity:photo", args=["3f1c2d4e-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404


def test_summary_page_shows_county_totals_for_regulator(client, county, publicity):
    client.force_login(county.regulator)
    response = client.get(reverse("publicity:campaign_summary", args=[publicity.campaign.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert [row.institution.code for row in response.context["summary"].rows] == [
        "PBC",
        "BANK-A",
        "BANK-B",
    ]
    assert (
        "活动期间，共有 5 个网点（机构）开展宣传，开展活动 6 场，其中大型户外集中宣传活动 3 场；"
        "参与员工 45 人次，发放宣传资料 4150 份，发送短信 758 条，受众 2380 人次；"
        "悬挂横幅 11 条，设立宣传版面 7 块、咨询服务台 9 个，接受咨询 680 人次，"
        "现场受理投诉 7 件、现场调解成功 1 件，为消费者挽回经济损失 680.50 元；"
        "媒体报道 4 篇，线上阅读/转发 250 次。"
    ) in body
    assert "邻县丙行" not in body
    assert 'data-testid="total-people_reached">2380<' in body


def test_summary_page_for_bank_a_manager_hides_other_banks(client, county, publicity):
    client.force_login(county.a_manager)
    response = client.get(reverse("publicity:campaign_summary", args=[publicity.campaign.pk]))
    body = response.content.decode()
    assert [row.institution.code for row in response.context["summary"].rows] == ["BANK-A"]
    assert response.context["summary"].total.people_reached == 880
    for other in ("乙银行", "中国人民银行测试县支行</td>"):
        assert other not in body


def test_summary_xlsx_has_chinese_headers_numbers_and_total(client, county, publicity):
    client.force_login(county.regulator)
    response = client.get(reverse("publicity:campaign_summary_xlsx", args=[publicity.campaign.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.title == "宣传活动汇总"
    assert sheet.freeze_panes == "B2"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "机构", "参与网点（个）", "开展活动（场）", "大型户外集中宣传活动（场）",
        "参与员工（人次）",
        "发放宣传资料（份）", "发送短信（条）", "受众（人次）", "悬挂横幅（条）",
        "宣传版面/展板（块）", "咨询服务台（个）", "接受咨询（人次）", "现场受理投诉（件）",
        "现场调解成功（件）", "挽回经济损失（元）", "媒体报道（篇）", "线上阅读/转发（次）",
    ]  # fmt: skip
    assert rows[1:] == [
        ["中国人民银行测试县支行", 1, 1, 1, 12, 2000, 0, 1000, 5, 4, 5, 480, 0, 0, 0, 1, 0],
        ["甲银行测试支行", 3, 4, 2, 25, 1150, 158, 880, 5, 3, 3, 170, 3, 1, 680.5, 3, 0],
        ["乙银行测试支行", 1, 1, 0, 8, 1000, 600, 500, 1, 0, 1, 30, 4, 0, 0, 0, 250],
        ["合计", 5, 6, 3, 45, 4150, 758, 2380, 11, 7, 9, 680, 7, 1, 680.5, 4, 250],
    ]
    assert sheet["O3"].number_format == "#,##0.00"
    assert isinstance(sheet["E5"].value, int)


def test_summary_xlsx_by_institution(client, county, publicity):
    client.force_login(county.a_manager)
    url = reverse("publicity:campaign_summary_xlsx", args=[publicity.campaign.pk])
    sheet = load_workbook(BytesIO(client.get(url, {"by": "institution"}).content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "机构", "甲银行测试支行", "甲银行一号网点", "甲银行二号网点", "合计",
    ]  # fmt: skip
    assert sheet["B5"].value == 3
    assert sheet["P5"].value == 3


def test_teller_cannot_open_campaign_create(client, county):
    client.force_login(county.a_teller)
    assert client.get(reverse("publicity:campaign_create")).status_code == 403


def test_regulator_creates_campaign_through_the_form(client, county):
    client.force_login(county.regulator)
    response = client.post(
        reverse("publicity:campaign_create"),
        {
            "theme": "送金融知识下乡",
            "slogan": "",
            "organiser": county.pbc.pk,
            "starts_on": "2026-05-01",
            "ends_on": "2026-05-31",
            "participants": [county.bank_a.pk, county.bank_b.pk],
            "description": "",
            "target_outlets": "10",
        },
    )
    assert response.status_code == 302
    campaign = county.pbc.publicity_campaigns_organised.get()
    assert (campaign.theme, campaign.ends_on, campaign.target_outlets) == (
        "送金融知识下乡",
        date(2026, 5, 31),
        10,
    )


def test_manager_edits_activity_and_removes_media_report(client, county, publicity, topics):
    client.force_login(county.a_manager)
    report = publicity.a1.media_reports.order_by("pk").first()
    others = list(publicity.a1.media_reports.exclude(pk=report.pk))
    data = _activity_post(
        county,
        topics,
        title="甲一网点户外宣传（更正）",
        money_recovered="100.00",
        **{
            "media-TOTAL_FORMS": str(1 + len(others) + 1),
            "media-INITIAL_FORMS": str(1 + len(others)),
            "media-0-id": str(report.pk),
            "media-0-outlet": report.outlet,
            "media-0-title": report.title,
            "media-0-published_on": "2026-03-15",
            "media-0-DELETE": "on",
            **{
                f"media-{i}-{k}": v
                for i, other in enumerate(others, start=1)
                for k, v in {
                    "id": str(other.pk),
                    "outlet": other.outlet,
                    "title": other.title,
                    "published_on": "2026-03-15",
                }.items()
            },
            f"media-{1 + len(others)}-outlet": "",
            f"media-{1 + len(others)}-title": "",
            f"media-{1 + len(others)}-published_on": "",
        },
    )
    response = client.post(reverse("publicity:activity_update", args=[publicity.a1.pk]), data)
    assert response.status_code == 302
    publicity.a1.refresh_from_db()
    assert publicity.a1.title == "甲一网点户外宣传（更正）"
    assert publicity.a1.money_recovered == Decimal("100.00")
    assert sorted(publicity.a1.media_reports.values_list("title", flat=True)) == sorted(
        o.title for o in others
    )


def test_activity_list_query_count_does_not_grow_with_rows(
    client, county, publicity, topics, django_assert_num_queries
):
    client.force_login(county.a_teller)
    url = reverse("publicity:activity_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(12):
        activity = ActivityFactory(
            campaign=publicity.campaign,
            institution=county.a_out1,
            held_on=date(2026, 3, 20),
            topics=list(topics.values()),
        )
        ActivityPhotoFactory(activity=activity)
        if n % 2:
            activity.media_reports.create(
                outlet="县报", title="报道", published_on=date(2026, 3, 20)
            )
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page"]) == 15


def test_campaign_list_query_count_does_not_grow_with_rows(
    client, county, publicity, django_assert_num_queries
):
    from tests.publicity.factories import CampaignFactory

    client.force_login(county.a_teller)
    url = reverse("publicity:campaign_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    CampaignFactory.create_batch(10, organiser=county.pbc)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page"]) == 12
    counts = {c.theme: c.visible_activities for c in response.context["page"]}
    assert counts[publicity.campaign.theme] == 2


def test_activity_detail_shows_figures_reports_and_photo(client, county, publicity):
    photo = ActivityPhotoFactory(activity=publicity.a1)
    client.force_login(county.a_teller)
    response = client.get(reverse("publicity:activity_detail", args=[publicity.a1.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>甲一网点户外宣传</h1>" in body
    assert "民生热线" in body
    assert "县融媒体中心" in body
    assert reverse("publicity:photo", args=[photo.pk]) in body
    assert '<td class="num">120.50</td>' in body


def test_activity_edit_and_delete_pages_render_for_owner(client, county, publicity):
    client.force_login(county.a_teller)
    edit = client.get(reverse("publicity:activity_update", args=[publicity.a1.pk]))
    assert edit.status_code == 200
    assert edit.context["form"].initial["title"] == "甲一网点户外宣传"
    assert len(edit.context["formset"].forms) == 3  # two reports and an empty row
    confirm = client.get(reverse("publicity:activity_delete", args=[publicity.a1.pk]))
    assert "确定删除活动记录“甲一网点户外宣传”吗？" in confirm.content.decode()
    response = client.post(reverse("publicity:activity_delete", args=[publicity.a1.pk]))
    assert response.url == reverse("publicity:campaign_detail", args=[publicity.campaign.pk])
    assert not Activity.objects.filter(pk=publicity.a1.pk).exists()


def test_activity_list_filters_by_kind_and_institution(client, county, publicity):
    client.force_login(county.regulator)
    url = reverse("publicity:activity_list")
    outdoor = client.get(url, {"kind": "outdoor"}).context["page"]
    assert {a.title for a in outdoor} == {"甲一网点户外宣传", "甲行广场集中宣传", "人行主会场"}
    bank_b = client.get(url, {"institution": county.bank_b.pk}).context["page"]
    assert [a.title for a in bank_b] == ["乙一网点送知识下乡"]


def test_record_page_defaults_to_own_outlet_and_offers_only_scope(client, county, publicity):
    client.force_login(county.a_teller)
    form = client.get(_create_url(publicity)).context["form"]
    assert form.initial["institution"] == county.a_out1.pk
    assert list(form.fields["institution"].queryset) == [county.a_out1]


def test_manager_cannot_edit_county_campaign(client, county, publicity):
    client.force_login(county.a_manager)
    url = reverse("publicity:campaign_update", args=[publicity.campaign.pk])
    assert client.get(url).status_code == 403
