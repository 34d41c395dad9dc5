"""Complaint visibility has one definition (``complaints.rules.complaint_q``): the
admin's changelist, the pages' list and the API see exactly the same complaints for
every user, and rows hanging off a complaint (urges) follow the same rule."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from complaints.models import Complaint, Urge
from complaints.rules import complaints_visible_to
from tests.complaints.factories import ComplaintFactory

USERS = ("regulator", "other_regulator", "a_manager", "a_handler", "a_teller", "b_manager")


@pytest.fixture
def spread(county, categories):
    """Complaints accepted, handled and complained about at different places."""
    c = county
    made = [
        ComplaintFactory(complained_institution=c.a_out1),
        ComplaintFactory(complained_institution=c.bank_b),
        ComplaintFactory(complained_institution=c.bank_x),
        ComplaintFactory(
            complained_institution=c.a_out2, accepting_institution=c.pbc, handling_institution=c.pbc
        ),
        ComplaintFactory(
            complained_institution=c.bank_b,
            accepting_institution=c.a_out1,
            handling_institution=c.bank_b,
        ),
    ]
    for complaint in made:
        Urge.objects.create(complaint=complaint, urged_by=c.regulator, note="请尽快办理")
    return made


@pytest.mark.parametrize("who", USERS)
def test_admin_and_pages_see_the_same_complaints(county, spread, who):
    user = getattr(county, who)
    request = RequestFactory().get("/")
    request.user = user
    admin_rows = set(site._registry[Complaint].get_queryset(request).values_list("pk", flat=True))
    page_rows = set(complaints_visible_to(user).values_list("pk", flat=True))
    assert admin_rows == page_rows
    urges = set(site._registry[Urge].get_queryset(request).values_list("complaint", flat=True))
    assert urges == page_rows


def test_the_rule_is_not_everything(county, spread):
    assert 0 < complaints_visible_to(county.a_teller).count() < len(spread)
