"""The access-policy matrix: every role against its own, a child, a sibling and
another county's institution. The list scope and the per-object check must agree."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from institutions import access
from institutions.models import Institution
from tests.institutions.factories import UserFactory

JURISDICTION = {"PBC", "BANK-A", "A-OUT1", "A-OUT2", "BANK-B", "B-OUT1"}
EXPECTED = {
    "regulator": JURISDICTION,
    "sysadmin": JURISDICTION,
    "other_regulator": {"PBC-OTHER", "BANK-X"},
    "a_manager": {"BANK-A", "A-OUT1", "A-OUT2"},
    "a_handler": {"BANK-A"},
    "a_teller": {"A-OUT1"},
    "a2_teller": {"A-OUT2"},
    "b_manager": {"BANK-B", "B-OUT1"},
    "b_handler": {"BANK-B"},
    "b_teller": {"B-OUT1"},
}
ALL = JURISDICTION | {"PBC-OTHER", "BANK-X"}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_visible_institutions_match_role_scope(county, who):
    user = getattr(county, who)
    visible = set(access.institutions_visible_to(user).values_list("code", flat=True))
    assert visible == EXPECTED[who]


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_object_check_agrees_with_list_scope(county, who):
    user = getattr(county, who)
    for inst in Institution.objects.all():
        assert access.can_see_institution(user, inst) == (inst.code in EXPECTED[who]), inst.code


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_out_of_scope_institution_is_not_found(county, who):
    user = getattr(county, who)
    for inst in Institution.objects.exclude(code__in=EXPECTED[who]):
        with pytest.raises(Http404):
            access.institution_get_for_user(user, inst.pk)
    with pytest.raises(Http404):
        access.institution_get_for_user(user, 999_999)


def test_superuser_sees_everything(county):
    root = UserFactory(username="root", is_superuser=True, institution=None, role="")
    assert set(access.institutions_visible_to(root).values_list("code", flat=True)) == ALL


@pytest.mark.parametrize("kind", ["anonymous", "no_institution", "inactive"])
def test_users_without_scope_see_nothing(county, kind):
    if kind == "anonymous":
        user = AnonymousUser()
    elif kind == "no_institution":
        user = UserFactory(username="orphan", institution=None)
    else:
        user = UserFactory(
            username="gone", institution=county.bank_a, role="manager", is_active=False
        )
    assert not access.institutions_visible_to(user).exists()
    assert not access.can_see_institution(user, county.bank_a)


def test_scope_over_related_field_uses_subtree(county):
    from institutions.models import User

    staff = access.scope(county.a_manager, User.objects.all(), "institution")
    assert set(staff.values_list("username", flat=True)) == {
        "a_mgr",
        "a_hdl",
        "a1_hdl",
        "a_tel",
        "a2_tel",
    }


@pytest.mark.parametrize(
    ("who", "perm", "allowed"),
    [
        ("sysadmin", "institutions.change_institution", True),
        ("regulator", "institutions.view_institution", True),
        ("regulator", "institutions.change_institution", False),
        ("a_manager", "institutions.view_institution", False),
        ("a_teller", "institutions.view_user", False),
    ],
)
def test_admin_permissions_by_role(county, who, perm, allowed):
    assert getattr(county, who).has_perm(perm) is allowed


def test_superuser_scope_over_fields_is_everything(county):
    from institutions.models import User

    root = UserFactory(username="root2", is_superuser=True, institution=None, role="")
    assert access.scope(root, User.objects.all(), "institution").count() == User.objects.count()


def test_superuser_sees_every_complaint(county, intake):
    from complaints.rules import complaints_visible_to
    from tests.complaints.helpers import register

    register(county, intake())
    root = UserFactory(username="root3", is_superuser=True, institution=None, role="")
    assert complaints_visible_to(root).count() == 1
