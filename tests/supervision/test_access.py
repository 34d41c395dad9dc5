"""Who may open the desk's pages: supervisors over their jurisdiction, managers over
their subtree; bank staff and other counties get "not found"."""

import pytest
from django.urls import reverse

from supervision import rules as access

from ..complaints.helpers import complaint_in_state

DESK = ("board", "major", "urges", "statistics")


@pytest.mark.parametrize("name", DESK)
@pytest.mark.parametrize("user", ["a_teller", "a1_handler", "a_handler", "b_teller"])
def test_bank_staff_cannot_open_the_desk(client, county, name, user):
    client.force_login(getattr(county, user))
    assert client.get(reverse(f"supervision:{name}")).status_code == 404


@pytest.mark.parametrize("name", DESK)
@pytest.mark.parametrize("user", ["regulator", "a_manager"])
def test_supervisors_and_managers_open_the_desk(client, county, name, user):
    client.force_login(getattr(county, user))
    response = client.get(reverse(f"supervision:{name}"))
    assert response.status_code == 200
    assert "督查看板" in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("supervision:board"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", DESK)
def test_a_root_outside_the_scope_is_not_found(client, county, name):
    client.force_login(county.a_manager)
    url = reverse(f"supervision:{name}") + f"?root={county.bank_b.pk}"
    assert client.get(url).status_code == 404
    client.force_login(county.regulator)
    assert (
        client.get(reverse(f"supervision:{name}") + f"?root={county.bank_x.pk}").status_code == 404
    )
    assert client.get(reverse(f"supervision:{name}") + "?root=999999").status_code == 404


def test_nav_link_follows_the_role(client, county):
    board = f'href="{reverse("supervision:board")}"'
    library = f'href="{reverse("supervision:library")}"'
    client.force_login(county.regulator)
    assert board in client.get(reverse("home")).content.decode()
    client.force_login(county.a_teller)
    body = client.get(reverse("home")).content.decode()
    assert board not in body
    assert library in body


def test_predicates(county, intake):
    c = complaint_in_state(county, intake(), "answered")
    assert access.can_supervise(county.regulator)
    assert access.can_supervise(county.a_manager)
    assert not access.can_supervise(county.a_handler)
    assert not access.can_supervise(county.sysadmin)
    assert access.can_create_typical_case(county.a_manager, c)
    assert not access.can_create_typical_case(county.b_manager, c)
    assert not access.can_create_typical_case(county.other_regulator, c)
    assert access.can_open_enforcement(county.regulator, c)
    assert not access.can_open_enforcement(county.other_regulator, c)
    assert not access.can_open_enforcement(county.a_manager, c)


def test_case_and_complaint_pages_of_others_are_not_found(client, county, intake):
    c = complaint_in_state(county, intake(), "answered")
    client.force_login(county.b_manager)
    for url in (
        reverse("supervision:case_create", args=[c.pk]),
        reverse("supervision:enforcement_create", args=[c.pk]),
        reverse("supervision:case_detail", args=[999]),
        reverse("supervision:enforcement_detail", args=[999]),
    ):
        assert client.get(url).status_code == 404
    client.force_login(county.a_teller)  # sees the complaint, may not write it up
    assert client.get(reverse("supervision:case_create", args=[c.pk])).status_code == 404
