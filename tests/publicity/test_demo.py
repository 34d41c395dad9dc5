from datetime import date
from decimal import Decimal

from django.core.management import call_command

from institutions.models import User
from publicity.demo import THEME
from publicity.models import Activity, Campaign, MediaReport
from publicity.selectors import campaign_summary


def _snapshot():
    return sorted(
        Activity.objects.values_list("institution__code", "title", "held_on", "people_reached")
    )


def test_demo_seed_is_idempotent_and_gives_county_totals(db):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
    campaign = Campaign.objects.get(theme=THEME)
    assert Campaign.objects.count() == 1
    assert MediaReport.objects.count() == 1
    assert (campaign.starts_on, campaign.ends_on) == (date(2026, 3, 1), date(2026, 3, 31))

    summary = campaign_summary(user=User.objects.get(username="pbc_supervisor"), campaign=campaign)
    t = summary.total
    assert (t.outlets, t.activities, t.outdoor_events, t.staff_times) == (8, 8, 2, 82)
    assert (t.leaflets, t.sms_sent, t.people_reached, t.media_reports) == (5800, 758, 2920, 1)
    # As 篇十三 states them: 680 consultations, 7 complaints taken, 1 mediated, 680 yuan.
    assert (t.consultations, t.complaints_on_site, t.mediated_on_site) == (680, 7, 1)
    assert t.money_recovered == Decimal("680.00")
    assert [row.institution.code for row in summary.rows] == [
        "PBC-QH", "ABC-HB", "ICBC-QH", "XTB-QH", "RCB-QH", "VB-QH",
    ]  # fmt: skip


def test_demo_outlet_user_sees_only_own_outlet(db):
    call_command("seed_demo")
    campaign = Campaign.objects.get(theme=THEME)
    summary = campaign_summary(user=User.objects.get(username="abc_teller"), campaign=campaign)
    assert [row.institution.code for row in summary.rows] == ["ABC-QH-01"]
    assert summary.total.people_reached == 350
