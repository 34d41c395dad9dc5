"""The complaint pages' forms hold together for a screen reader: the detail page's
action forms each have their own ids (several share field names such as version,
reason and note), every label and aria-describedby points at an element of the page,
and a failed submit opens with an error summary linking to each wrong field."""

import re

import pytest
from django.urls import reverse

from tests.markup import problems

from .helpers import complaint_in_state


@pytest.mark.parametrize(
    ("state", "who"),
    [("registered", "a_manager"), ("in_progress", "a1_handler"), ("resolved", "a_manager")],
)
def test_detail_page_ids_are_unique_and_labels_point_at_fields(client, county, intake, state, who):
    c = complaint_in_state(county, intake(), state)
    client.force_login(getattr(county, who))
    body = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert body.count('name="version"') >= 3  # several forms share the field names…
    assert problems(body) == []  # …but not the ids


def test_action_form_keeps_posting_plain_field_names(client, county, intake):
    """Only the ids carry the action: the names (what complaint_act reads, like the API
    and anyone posting plain names) stay as they were."""
    c = complaint_in_state(county, intake(), "registered")
    client.force_login(county.a_manager)
    body = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert '<input type="hidden" name="version" value="1" id="id_refuse-version">' in body
    assert re.search(r'<textarea name="note"[^>]* id="id_refuse-note"', body)
    response = client.post(
        reverse("complaints:act", args=[c.pk, "refuse"]),
        {"version": c.version, "reason": "not_financial", "note": "非金融业务"},
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == "refused"


def test_failed_action_shows_its_errors_in_a_summary(client, county, intake):
    c = complaint_in_state(county, intake(), "registered")
    client.force_login(county.a_manager)
    client.post(reverse("complaints:act", args=[c.pk, "refuse"]), {"version": c.version})
    body = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.S).group(0)
    assert 'role="alert" tabindex="-1"' in summary
    assert re.findall(r'href="#([^"]+)"', summary) == ["id_refuse-reason"]
    assert problems(body) == []


def test_intake_help_texts_are_rendered_with_the_ids_fields_refer_to(client, county, categories):
    client.force_login(county.a_teller)
    body = client.get(reverse("complaints:create")).content.decode()
    assert 'aria-describedby="id_received_at_helptext"' in body
    assert '<span class="help" id="id_received_at_helptext">' in body
    assert re.search(r'<select name="intake_source"[^>]* autofocus', body)
    assert problems(body) == []


def test_failed_intake_opens_with_a_summary_linking_each_error(client, county, categories):
    client.force_login(county.a_teller)
    response = client.post(reverse("complaints:create"), {"intake_source": "phone"})
    body = response.content.decode()
    assert response.status_code == 200
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.S).group(0)
    assert 'role="alert" tabindex="-1"' in summary
    links = re.findall(r'href="#([^"]+)"', summary)
    assert {"id_complainant_name", "id_complainant_phone", "id_description", "id_demand"} <= set(
        links
    )
    assert len(links) == len(re.findall(r'<ul class="errorlist" id="id_\w+_error">', body))
    assert "autofocus" not in body  # the focus goes to the summary (js/error-summary.js)
    assert problems(body) == []


def test_regulator_intake_with_its_dispatch_form_holds_together(client, county, categories):
    client.force_login(county.regulator)
    assert problems(client.get(reverse("complaints:create")).content.decode()) == []
    body = client.post(reverse("complaints:create"), {}).content.decode()
    assert problems(body) == []
