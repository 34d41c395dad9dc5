"""The figures a campaign report adds up (``../shared/data/publicity-metrics.csv``).

One list names them, in the order the source reports state them; the summary page,
the print version and the xlsx export all take their columns from it, and
``ActivityTotals`` holds one value per metric.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Counts measured on each activity (model fields of ``Activity``, all >= 0).
COUNT_FIELDS: tuple[str, ...] = (
    "staff_times",
    "leaflets",
    "sms_sent",
    "people_reached",
    "banners",
    "boards",
    "desks",
    "consultations",
    "complaints_on_site",
    "mediated_on_site",
    "online_reads",
)
#: Amounts of money measured on each activity (Decimal, yuan, >= 0).
MONEY_FIELDS: tuple[str, ...] = ("money_recovered",)
#: Every measured figure of an activity.
FIGURE_FIELDS: tuple[str, ...] = COUNT_FIELDS + MONEY_FIELDS


@dataclass(frozen=True)
class Metric:
    code: str
    label: str | Promise
    unit: str | Promise

    @property
    def is_money(self) -> bool:
        return self.code in MONEY_FIELDS


METRICS: tuple[Metric, ...] = (
    Metric("outlets", _("参与网点"), _("个")),
    Metric("activities", _("开展活动"), _("场")),
    Metric("outdoor_events", _("大型户外集中宣传活动"), _("场")),
    Metric("staff_times", _("参与员工"), _("人次")),
    Metric("leaflets", _("发放宣传资料"), _("份")),
    Metric("sms_sent", _("发送短信"), _("条")),
    Metric("people_reached", _("受众"), _("人次")),
    Metric("banners", _("悬挂横幅"), _("条")),
    Metric("boards", _("宣传版面/展板"), _("块")),
    Metric("desks", _("咨询服务台"), _("个")),
    Metric("consultations", _("接受咨询"), _("人次")),
    Metric("complaints_on_site", _("现场受理投诉"), _("件")),
    Metric("mediated_on_site", _("现场调解成功"), _("件")),
    Metric("money_recovered", _("挽回经济损失"), _("元")),
    Metric("media_reports", _("媒体报道"), _("篇")),
    Metric("online_reads", _("线上阅读/转发"), _("次")),
)


@dataclass(frozen=True)
class ActivityTotals:
    """What a set of activities adds up to; every field is a metric code.

    ``outlets`` counts distinct institutions that held at least one activity;
    ``outdoor_events`` counts activities of kind 大型户外集中宣传.
    """

    activities: int = 0
    outlets: int = 0
    outdoor_events: int = 0
    staff_times: int = 0
    leaflets: int = 0
    sms_sent: int = 0
    people_reached: int = 0
    banners: int = 0
    boards: int = 0
    desks: int = 0
    consultations: int = 0
    complaints_on_site: int = 0
    mediated_on_site: int = 0
    money_recovered: Decimal = Decimal("0.00")
    media_reports: int = 0
    online_reads: int = 0

    @classmethod
    def from_row(cls, row: dict, *, media_reports: int = 0) -> ActivityTotals:
        """Build from one row of aggregates (``None`` — an empty group — reads as 0)."""
        values = {}
        for f in fields(cls):
            if f.name == "media_reports":
                continue
            value = row.get(f.name)
            if f.name in MONEY_FIELDS:
                values[f.name] = Decimal(value or 0).quantize(Decimal("0.01"))
            else:
                values[f.name] = int(value or 0)
        return cls(**values, media_reports=media_reports)

    @property
    def cells(self) -> list[tuple[Metric, int | Decimal]]:
        """(metric, value) in report order, for tables and exports."""
        return [(m, getattr(self, m.code)) for m in METRICS]
