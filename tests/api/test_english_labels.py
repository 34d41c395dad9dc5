"""Action labels are lazy: English readers get English buttons, API labels and schema."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.services import complaint_register
from complaints.workflow.table import ACTIONS

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_action_label_follows_the_language(name):
    label = ACTIONS[name].label
    with translation.override("en"):
        english = str(label)
    with translation.override("zh-hans"):
        chinese = str(label)
    assert not CJK.search(english), english
    assert CJK.search(chinese), chinese


def test_transitions_list_carries_english_labels(api, county, intake):
    complaint, _ = complaint_register(actor=county.a_teller, data=intake())
    r = api(county.a_manager).get(reverse("api:complaint-transitions", args=[complaint.pk]))
    rows = r.json()
    assert {row["name"] for row in rows} >= {"assign", "supervise"}
    for row in rows:
        assert CJK.search(row["label"]), row  # the API answers in Chinese …
        assert row["label_en"], row  # … and in English
        assert not CJK.search(row["label_en"]), row
    assigned = next(row for row in rows if row["name"] == "assign")
    assert (assigned["label"], assigned["label_en"]) == ("分办", "Assign")


def test_schema_summaries_in_the_language_asked_for(api, county):
    client = api(county.a_manager)
    english = client.get(reverse("api:schema"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(reverse("api:schema"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    summaries = re.findall(r"summary: (.+) \((\w+)\)\n", english)
    # The consumer's own actions (consumer_*) are taken on the portal, not the API.
    staff_actions = [name for name in ACTIONS if not name.startswith("consumer_")]
    assert len(summaries) >= len(staff_actions) - 1
    for label, name in summaries:
        if name in ACTIONS:
            assert not CJK.search(label), (label, name)
    assert "summary: 分办 (assign)" in chinese
    assert "summary: Assign (assign)" in english
