"""Permissions come from the access policy alone: a permission row in the database
grants nothing, and asking for permissions costs no query."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import reverse


def test_a_permission_row_grants_nothing(county):
    teller = county.a_teller
    teller.user_permissions.add(Permission.objects.get(codename="change_institution"))
    teller = type(teller).objects.get(pk=teller.pk)
    assert not teller.has_perm("institutions.change_institution")
    assert teller.get_all_permissions() == set()


def test_the_policy_still_decides(county):
    assert county.a_teller.has_perm("complaints.add_complaint")
    assert not county.a_teller.has_perm("supervision.view_board")
    assert county.regulator.has_perm("supervision.view_board")
    county.sysadmin.is_superuser = True
    assert county.sysadmin.has_perm("anything.at_all")


def test_permission_checks_cost_no_query(county, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not county.a_teller.has_perm("deadlines.change_calendarday")
        assert not county.a_teller.has_perm("reports.view_reportpack")


def test_logging_in_with_a_password_still_works(client, county):
    response = client.post(
        reverse("login"), {"username": county.a_teller.username, "password": "pw-Secret-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
