"""Publicity fixtures: a 3·15 campaign of the test county with hand-counted
activities (the figures are chosen so that the county total echoes 篇十三: 680
consultations, 7 complaints taken on site, 1 mediated)."""

from datetime import date
from decimal import Decimal

import pytest

from publicity.enums import ActivityKind as K
from tests.publicity.factories import (
    ActivityFactory,
    AudienceFactory,
    CampaignFactory,
    MediaReportFactory,
    TopicFactory,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to its own directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def topics(db):
    return {
        name: TopicFactory(name=name) for name in ("反假币", "征信", "银行卡安全", "防范电信诈骗")
    }


@pytest.fixture
def audiences(db):
    return {name: AudienceFactory(name=name) for name in ("老年人", "农户")}


class Publicity:
    def __init__(self, county, topics):
        self.campaign = CampaignFactory(
            theme="2026年“3·15”金融消费者权益日宣传教育活动",
            organiser=county.pbc,
            participants=[county.bank_a, county.bank_b],
            target_outlets=6,
            target_leaflets=5000,
        )
        make = ActivityFactory
        self.a1 = make(
            campaign=self.campaign, institution=county.a_out1, title="甲一网点户外宣传",
            held_on=date(2026, 3, 15), kind=K.OUTDOOR, staff_times=10, leaflets=500,
            sms_sent=100, people_reached=300, banners=2, boards=1, desks=1, consultations=50,
            complaints_on_site=2, mediated_on_site=1, money_recovered=Decimal("120.50"),
            topics=[topics["反假币"], topics["征信"]],
        )  # fmt: skip
        self.a2 = make(
            campaign=self.campaign, institution=county.a_out1, title="甲一网点阵地宣传",
            held_on=date(2026, 3, 16), kind=K.OUTLET, staff_times=5, leaflets=200,
            people_reached=100,
        )  # fmt: skip
        self.a3 = make(
            campaign=self.campaign, institution=county.a_out2, title="甲二网点进社区",
            held_on=date(2026, 3, 10), kind=K.COMMUNITY, staff_times=4, leaflets=150,
            sms_sent=58, people_reached=80, consultations=20, complaints_on_site=1,
        )  # fmt: skip
        self.a4 = make(
            campaign=self.campaign, institution=county.bank_a, title="甲行广场集中宣传",
            held_on=date(2026, 3, 15), kind=K.OUTDOOR, staff_times=6, leaflets=300,
            people_reached=400, banners=3, boards=2, desks=2, consultations=100,
            money_recovered=Decimal("560.00"),
        )  # fmt: skip
        self.b1 = make(
            campaign=self.campaign, institution=county.b_out1, title="乙一网点送知识下乡",
            held_on=date(2026, 3, 12), kind=K.VILLAGE, staff_times=8, leaflets=1000,
            sms_sent=600, people_reached=500, banners=1, desks=1, consultations=30,
            complaints_on_site=4, online_reads=250,
        )  # fmt: skip
        self.p1 = make(
            campaign=self.campaign, institution=county.pbc, title="人行主会场",
            held_on=date(2026, 3, 15), kind=K.OUTDOOR, staff_times=12, leaflets=2000,
            people_reached=1000, banners=5, boards=4, desks=5, consultations=480,
        )  # fmt: skip
        # Another county's bank in the same campaign (data that could leak).
        self.x1 = make(
            campaign=self.campaign, institution=county.bank_x, title="邻县丙行活动",
            held_on=date(2026, 3, 15), staff_times=99, leaflets=9999, people_reached=9999,
        )  # fmt: skip
        MediaReportFactory(activity=self.a1, outlet="县电视台", title="民生热线")
        MediaReportFactory(activity=self.a1, outlet="县融媒体中心", title="甲一网点宣传")
        MediaReportFactory(activity=self.a4, outlet="县报", title="甲行集中宣传")
        MediaReportFactory(activity=self.p1, outlet="县电视台", title="人行主会场")
        MediaReportFactory(activity=self.x1, outlet="邻县电视台", title="丙行")

        # A later campaign: outside March, so never in the 3·15 figures.
        self.later = CampaignFactory(
            theme="金融知识进社区", organiser=county.bank_a,
            starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 30),
        )  # fmt: skip
        self.a5 = make(
            campaign=self.later, institution=county.a_out1, title="四月进社区",
            held_on=date(2026, 4, 2), staff_times=3, people_reached=60,
        )  # fmt: skip


@pytest.fixture
def publicity(county, topics):
    return Publicity(county, topics)


from tests.complaints.conftest import calendar, categories, intake, taxonomy  # noqa: E402, F401
