"""No select on a page people work with shows Django's "---------": a select that
records something starts at "—" (as the handler options and the ID type do), a
filter's at 全部 / All. (The Django admin keeps its own convention.)"""

from __future__ import annotations

import pytest
from django.utils import translation

from complaints.enums import ComplaintStatus
from tests.complaints.factories import ComplaintFactory
from tests.publicity.factories import CampaignFactory

DASHES = "---------"


@pytest.fixture
def pages(county):
    complaint = ComplaintFactory(
        complained_institution=county.bank_a, status=ComplaintStatus.REGISTERED
    )
    campaign = CampaignFactory(organiser=county.pbc, participants=[county.bank_a])
    return [
        (county.a_teller, "/complaints/new/"),
        (county.regulator, "/complaints/new/"),
        (county.regulator, "/complaints/"),
        (county.a_manager, f"/complaints/{complaint.pk}/"),
        (county.regulator, "/supervision/"),
        (county.regulator, "/supervision/library/"),
        (county.regulator, "/supervision/statistics/"),
        (county.regulator, "/publicity/campaigns/new/"),
        (county.regulator, "/publicity/activities/"),
        (county.a_manager, f"/publicity/campaigns/{campaign.pk}/activities/new/"),
        (county.regulator, "/reports/"),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_offers_djangos_dashes(client, pages, language):
    seen_selects = 0
    for user, path in pages:
        client.force_login(user)
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, path
        html = response.content.decode()
        seen_selects += html.count("<select")
        assert DASHES not in html, path
    # The pages do show selects with empty options (the crawl is not vacuous).
    assert seen_selects > 30


def test_entry_selects_start_at_a_dash_and_filters_at_all(client, pages, county):
    with translation.override("zh-hans"):
        client.force_login(county.a_teller)
        intake = client.get("/complaints/new/").content.decode()
        client.force_login(county.regulator)
        library = client.get("/supervision/library/").content.decode()
    assert '<option value="" selected>—</option>' in intake
    assert '<option value="" selected>全部</option>' in library
