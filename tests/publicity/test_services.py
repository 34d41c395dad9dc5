"""Writes: what is saved, and that refused input leaves no row and no file."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from publicity import services
from publicity.enums import ActivityKind
from publicity.models import Activity, ActivityPhoto, Campaign, MediaReport
from publicity.services import ActivityData, CampaignData, MediaReportData
from tests.publicity.factories import ActivityFactory, CampaignFactory, png_bytes


@pytest.fixture
def campaign(county):
    return CampaignFactory(theme="3·15", organiser=county.pbc)


def _data(institution, topics, **overrides):
    values = {
        "institution": institution,
        "title": "网点阵地宣传",
        "held_on": date(2026, 3, 15),
        "kind": ActivityKind.OUTLET,
        "place": "营业厅",
        "topics": [topics["反假币"]],
        "figures": {"staff_times": 6, "leaflets": 300, "people_reached": 120},
    }
    values.update(overrides)
    return ActivityData(**values)


def _files(media_root):
    return (
        sorted(p.name for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    )


def test_record_saves_activity_reports_and_photo(county, campaign, topics, audiences, media_root):
    photo = SimpleUploadedFile("现场.JPG", png_bytes(), content_type="image/jpeg")
    activity = services.activity_record(
        user=county.a_teller,
        campaign=campaign,
        data=_data(
            county.a_out1,
            topics,
            audiences=[audiences["老年人"]],
            figures={"staff_times": 6, "money_recovered": Decimal("12.30")},
        ),
        media_reports=[MediaReportData("县电视台", "民生热线", date(2026, 3, 15))],
        photos=[photo],
    )
    activity.refresh_from_db()
    assert (activity.staff_times, activity.leaflets, activity.money_recovered) == (
        6,
        0,
        Decimal("12.30"),
    )
    assert activity.recorded_by == county.a_teller
    assert [t.name for t in activity.topics.all()] == ["反假币"]
    assert [a.name for a in activity.audiences.all()] == ["老年人"]
    assert list(activity.media_reports.values_list("outlet", "title")) == [("县电视台", "民生热线")]
    stored = activity.photos.get()
    # Type and name come from the content (a PNG), not from the upload's name or type.
    assert stored.content_type == "image/png"
    assert (stored.width, stored.height) == (4, 3)
    assert stored.image.name.endswith(f"/{stored.pk.hex}.png")
    assert _files(media_root) == [f"{stored.pk.hex}.png"]


@pytest.mark.parametrize("field", ["staff_times", "leaflets", "sms_sent", "money_recovered"])
def test_record_refuses_negative_figures_and_saves_nothing(
    county, campaign, topics, media_root, field
):
    photo = SimpleUploadedFile("a.png", png_bytes())
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            user=county.a_teller,
            campaign=campaign,
            data=_data(county.a_out1, topics, figures={field: -1}),
            photos=[photo],
        )
    assert field in exc.value.message_dict
    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()
    assert _files(media_root) == []


@pytest.mark.parametrize("day", [date(2026, 2, 28), date(2026, 4, 1)])
def test_record_refuses_date_outside_campaign(county, campaign, topics, day):
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            user=county.a_teller,
            campaign=campaign,
            data=_data(county.a_out1, topics, held_on=day),
        )
    assert exc.value.message_dict == {
        "held_on": ["活动日期必须在“3·15”的活动期间（2026年3月1日至2026年3月31日）之内。"]
    }
    assert not Activity.objects.exists()


def test_record_refuses_text_renamed_jpg_and_keeps_nothing(county, campaign, topics, media_root):
    good = SimpleUploadedFile("good.png", png_bytes())
    fake = SimpleUploadedFile(
        "fake.jpg", b"just some text, not a picture", content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            user=county.a_teller,
            campaign=campaign,
            data=_data(county.a_out1, topics),
            photos=[good, fake],
        )
    assert exc.value.message_dict == {
        "photos": ["“fake.jpg”不是有效的图片文件，只能上传 JPEG、PNG、GIF 或 WebP 格式的照片。"]
    }
    assert not Activity.objects.exists()
    assert _files(media_root) == []


def test_record_refuses_svg(county, campaign, topics):
    svg = SimpleUploadedFile(
        "logo.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        content_type="image/png",
    )
    with pytest.raises(ValidationError):
        services.activity_record(
            user=county.a_teller, campaign=campaign, data=_data(county.a_out1, topics), photos=[svg]
        )
    assert not Activity.objects.exists()


def test_record_refuses_oversized_photo(county, campaign, topics, settings):
    settings.PUBLICITY_PHOTO_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * 1100)
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            user=county.a_teller, campaign=campaign, data=_data(county.a_out1, topics), photos=[big]
        )
    assert exc.value.message_dict == {"photos": ["照片“big.png”超过 1.0\xa0KB 的大小限制。"]}
    assert not Activity.objects.exists()


def test_record_for_institution_out_of_scope_is_refused(county, campaign, topics):
    with pytest.raises(PermissionDenied):
        services.activity_record(
            user=county.b_teller, campaign=campaign, data=_data(county.a_out1, topics)
        )
    assert not Activity.objects.exists()


def test_record_for_campaign_that_does_not_reach_user_is_refused(county, topics):
    other = CampaignFactory(organiser=county.other_pbc)
    with pytest.raises(PermissionDenied):
        services.activity_record(
            user=county.a_teller, campaign=other, data=_data(county.a_out1, topics)
        )


def test_update_replaces_figures_and_media_reports(county, campaign, topics):
    activity = services.activity_record(
        user=county.a_teller,
        campaign=campaign,
        data=_data(county.a_out1, topics),
        media_reports=[MediaReportData("县报", "旧报道", date(2026, 3, 15))],
    )
    services.activity_update(
        user=county.a_manager,
        activity=activity,
        data=_data(county.a_out2, topics, figures={"people_reached": 500}),
        media_reports=[MediaReportData("县电视台", "新报道", date(2026, 3, 16))],
    )
    activity.refresh_from_db()
    assert (activity.institution, activity.people_reached, activity.staff_times) == (
        county.a_out2,
        500,
        0,
    )
    assert list(MediaReport.objects.values_list("title", flat=True)) == ["新报道"]


def test_update_by_other_bank_is_refused(county, campaign, topics):
    activity = ActivityFactory(campaign=campaign, institution=county.a_out1)
    with pytest.raises(PermissionDenied):
        services.activity_update(
            user=county.b_manager,
            activity=activity,
            data=_data(county.b_out1, topics),
            media_reports=[],
        )


def test_delete_removes_photo_files_after_commit(
    county, campaign, topics, media_root, django_capture_on_commit_callbacks
):
    activity = services.activity_record(
        user=county.a_teller,
        campaign=campaign,
        data=_data(county.a_out1, topics),
        photos=[SimpleUploadedFile("a.png", png_bytes())],
    )
    assert len(_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_delete(user=county.a_teller, activity=activity)
    assert not Activity.objects.exists()
    assert _files(media_root) == []


def test_regulator_creates_campaign_for_county(county):
    campaign = services.campaign_create(
        user=county.regulator,
        data=CampaignData(
            theme="金融知识进社区",
            organiser=county.pbc,
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 6, 30),
            participants=[county.bank_a, county.bank_b],
            target_people_reached=3000,
        ),
    )
    assert campaign.created_by == county.regulator
    assert set(campaign.participants.values_list("code", flat=True)) == {"BANK-A", "BANK-B"}


def test_manager_creates_campaign_only_for_own_subtree(county):
    data = CampaignData(
        theme="信用关爱日", organiser=county.bank_a, starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 10),
    )  # fmt: skip
    assert services.campaign_create(user=county.a_manager, data=data).organiser == county.bank_a
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            user=county.a_manager,
            data=CampaignData(
                theme="越权", organiser=county.pbc, starts_on=date(2026, 6, 1),
                ends_on=date(2026, 6, 10),
            ),
        )  # fmt: skip


def test_teller_cannot_create_campaign(county):
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            user=county.a_teller,
            data=CampaignData(
                theme="x", organiser=county.a_out1, starts_on=date(2026, 6, 1),
                ends_on=date(2026, 6, 2),
            ),
        )  # fmt: skip
    assert not Campaign.objects.exists()


def test_campaign_period_must_be_ordered(county):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            user=county.regulator,
            data=CampaignData(
                theme="倒序", organiser=county.pbc, starts_on=date(2026, 6, 10),
                ends_on=date(2026, 6, 1),
            ),
        )  # fmt: skip
    assert exc.value.message_dict["ends_on"] == ["结束日期不能早于开始日期。"]
    assert not Campaign.objects.exists()


def test_campaign_period_cannot_shrink_past_recorded_activity(county, campaign):
    ActivityFactory(campaign=campaign, institution=county.a_out1, held_on=date(2026, 3, 20))
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(
            user=county.regulator,
            campaign=campaign,
            data=CampaignData(
                theme="3·15", organiser=county.pbc, starts_on=date(2026, 3, 1),
                ends_on=date(2026, 3, 15),
            ),
        )  # fmt: skip
    assert exc.value.messages == ["已有 1 项活动的日期不在新的活动期间之内，请先修改这些活动。"]
    campaign.refresh_from_db()
    assert campaign.ends_on == date(2026, 3, 31)


def test_activity_links_complaints_taken_on_site(county, intake, categories):
    """Optional links to complaint records, resolved through the access policy."""
    from django.core.exceptions import ValidationError as _VE

    from publicity.services import ActivityData, activity_record
    from tests.complaints.helpers import register
    from tests.publicity.factories import CampaignFactory, TopicFactory

    mine = register(county, intake())
    other = register(county, intake(complained_institution=county.b_out1), actor=county.b_teller)
    campaign = CampaignFactory(organiser=county.pbc, participants=[county.bank_a])
    start = campaign.starts_on

    def data(numbers):
        return ActivityData(
            institution=county.a_out1,
            title="现场宣传",
            held_on=start,
            kind="outlet",
            place="营业厅",
            topics=[TopicFactory(name="征信")],
            complaint_numbers=numbers,
        )

    activity = activity_record(
        user=county.a_manager, campaign=campaign, data=data([mine.tracking_no])
    )
    assert list(activity.linked_complaints.all()) == [mine]
    with pytest.raises(_VE, match="找不到投诉编号"):
        activity_record(user=county.a_manager, campaign=campaign, data=data([other.tracking_no]))
