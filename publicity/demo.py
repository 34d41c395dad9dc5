"""Demo data: the county office's 3·15 campaign with activities of the demo banks, so
the regulator's summary shows county totals like the ones the reports state (篇二,
篇十三). Idempotent: keyed on the campaign theme and organiser and on each
activity's institution and title; re-running restores the figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from institutions import tree
from institutions.models import Institution, User

from .enums import ActivityKind as K
from .metrics import FIGURE_FIELDS
from .models import Activity, Audience, Campaign, MediaReport, Topic

YEAR = 2026
THEME = f"{YEAR}年“3·15”金融消费者权益日宣传教育活动"
SLOGAN = "畅通维权渠道，保护金融消费者合法权益"
PARTICIPANTS = ["ABC-QH", "ICBC-QH", "XTB-QH", "RCB-QH", "VB-QH"]

# (institution code, title, day in March, kind, place, topics, audiences, figures)
ACTIVITIES = [
    (
        "PBC-QH",
        "“3·15”金融消费者权益日集中宣传主会场",
        15,
        K.OUTDOOR,
        "清河县城人民广场",
        ["反假币", "征信", "防范电信诈骗", "防范非法集资"],
        ["老年人", "农民工"],
        {
            "staff_times": 24,
            "leaflets": 2000,
            "people_reached": 800,
            "banners": 6,
            "boards": 4,
            "desks": 5,
            "consultations": 260,
            "complaints_on_site": 3,
            "mediated_on_site": 1,
            "money_recovered": Decimal("680.00"),
        },
    ),
    (
        "ABC-QH-01",
        "城关分理处网点阵地宣传",
        15,
        K.OUTLET,
        "农行城关分理处营业厅",
        ["反假币", "银行卡安全", "残损币兑换"],
        ["老年人"],
        {"staff_times": 8, "leaflets": 600, "sms_sent": 300, "people_reached": 350, "desks": 1},
    ),
    (
        "ABC-QH",
        "农行清河支行“3·15”广场集中宣传",
        15,
        K.OUTDOOR,
        "清河县城人民广场",
        ["反假币", "银行卡安全", "防范电信诈骗"],
        ["老年人", "城镇居民"],
        {
            "staff_times": 15,
            "leaflets": 800,
            "people_reached": 500,
            "banners": 2,
            "boards": 2,
            "desks": 2,
            "consultations": 140,
            "complaints_on_site": 3,
        },
    ),
    (
        "ABC-QH-02",
        "东街网点“3·15”宣传专区",
        14,
        K.OUTLET,
        "农行东街网点营业厅",
        ["电子银行", "收费政策"],
        [],
        {"staff_times": 6, "leaflets": 400, "people_reached": 200, "boards": 1},
    ),
    (
        "ICBC-QH-01",
        "征信知识进社区",
        10,
        K.COMMUNITY,
        "城关镇幸福社区",
        ["征信", "个人金融信息保护"],
        ["老年人", "少数民族客户"],
        {
            "staff_times": 10,
            "leaflets": 500,
            "sms_sent": 458,
            "people_reached": 300,
            "banners": 1,
            "boards": 2,
            "consultations": 90,
            "complaints_on_site": 1,
        },
    ),
    (
        "RCB-QH-0201",
        "送金融知识下乡——油坊集市宣传",
        12,
        K.VILLAGE,
        "油坊镇大集",
        ["反假币", "防范非法集资", "残损币兑换"],
        ["农户"],
        {
            "staff_times": 12,
            "leaflets": 1200,
            "people_reached": 650,
            "banners": 2,
            "desks": 1,
            "consultations": 150,
        },
    ),
    (
        "VB-QH-01",
        "金融知识进企业",
        18,
        K.ENTERPRISE,
        "清河县羊绒产业园",
        ["防范电信诈骗", "电子银行"],
        ["企业", "农民工"],
        {"staff_times": 5, "leaflets": 300, "people_reached": 120, "consultations": 40},
    ),
    (
        "XTB-QH-01",
        "微信公众号“3·15”专题推送",
        15,
        K.ONLINE,
        "邢台银行清河支行微信公众号",
        ["防范电信诈骗", "个人金融信息保护"],
        [],
        {"staff_times": 2, "online_reads": 3200},
    ),
]
MEDIA = [("PBC-QH", "清河电视台", "《民生热线》：人行清河县支行开展3·15宣传", 15)]


def _names(model, names: list[str]):
    """The list entries by name, created if a data reset removed them."""
    return [model.objects.get_or_create(name=name)[0] for name in names]


def _nearest_staff(institution: Institution) -> User | None:
    """A demo user of the institution, or of the closest institution above it."""
    above = tree.ancestor_ids(institution)
    return User.objects.filter(institution__in=above).order_by("-institution__depth", "pk").first()


@transaction.atomic
def seed(stdout=None) -> Campaign | None:
    codes = {"PBC-QH", *PARTICIPANTS, *(row[0] for row in ACTIVITIES)}
    by_code = Institution.objects.filter(code__in=codes).in_bulk(field_name="code")
    if len(by_code) != len(codes):  # the institutions' demo was not loaded
        return None
    pbc = by_code["PBC-QH"]
    supervisor = User.objects.filter(username="pbc_supervisor").first()
    campaign, _ = Campaign.objects.update_or_create(
        theme=THEME,
        organiser=pbc,
        defaults={
            "slogan": SLOGAN,
            "starts_on": date(YEAR, 3, 1),
            "ends_on": date(YEAR, 3, 31),
            "description": "各银行业金融机构组织辖内网点开展网点阵地宣传和"
            "走出去集中宣传，活动结束后登记各项活动成效。",
            "target_outlets": 8,
            "target_outdoor_events": 2,
            "target_leaflets": 5000,
            "target_people_reached": 2000,
            "created_by": supervisor,
        },
    )
    campaign.participants.set([by_code[code] for code in PARTICIPANTS])
    for code, title, day, kind, place, topics, audiences, figures in ACTIVITIES:
        institution = by_code[code]
        recorder = _nearest_staff(institution)
        activity, _ = Activity.objects.update_or_create(
            campaign=campaign,
            institution=institution,
            title=title,
            defaults={
                "held_on": date(YEAR, 3, day),
                "kind": kind,
                "place": place,
                "recorded_by": recorder or supervisor,
                **dict.fromkeys(FIGURE_FIELDS, 0),
                **figures,
            },
        )
        activity.topics.set(_names(Topic, topics))
        activity.audiences.set(_names(Audience, audiences))
    for code, outlet, title, day in MEDIA:
        activity = Activity.objects.filter(campaign=campaign, institution=by_code[code]).first()
        MediaReport.objects.get_or_create(
            activity=activity, outlet=outlet, title=title, published_on=date(YEAR, 3, day)
        )
    if stdout is not None:
        stdout.write(f"宣传教育演示数据：{THEME}（{len(ACTIVITIES)} 项活动）")
    return campaign
