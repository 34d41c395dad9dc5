"""The publicity side of the access policy: which campaigns reach whom, and who may
do what."""

import pytest
from django.http import Http404

from publicity.rules import (
    activity_get_for_user,
    campaign_get_for_user,
    campaign_list_for_user,
    photo_get_for_user,
)
from tests.publicity.factories import ActivityPhotoFactory, CampaignFactory

EVERYONE_IN_COUNTY = [
    "regulator", "sysadmin", "a_manager", "a_handler", "a_teller", "a2_teller",
    "b_manager", "b_handler", "b_teller",
]  # fmt: skip


@pytest.fixture
def campaigns(county):
    return {
        "county": CampaignFactory(theme="县支行3·15", organiser=county.pbc),
        "bank_a": CampaignFactory(theme="甲行信用关爱日", organiser=county.bank_a),
        "a_out2": CampaignFactory(theme="甲二网点开放日", organiser=county.a_out2),
        "joint": CampaignFactory(
            theme="甲行组织、邀请乙行", organiser=county.bank_a, participants=[county.bank_b]
        ),
        "other": CampaignFactory(theme="邻县活动", organiser=county.other_pbc),
    }


EXPECTED = {
    "regulator": {"county", "bank_a", "a_out2", "joint"},
    "sysadmin": {"county", "bank_a", "a_out2", "joint"},
    "a_manager": {"county", "bank_a", "a_out2", "joint"},
    "a_handler": {"county", "bank_a", "joint"},
    "a_teller": {"county", "bank_a", "joint"},
    "a2_teller": {"county", "bank_a", "a_out2", "joint"},
    "b_manager": {"county", "joint"},
    "b_handler": {"county", "joint"},
    "b_teller": {"county", "joint"},
    "other_regulator": {"other"},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_campaigns_reach_down_the_tree(county, campaigns, who):
    user = getattr(county, who)
    names = {key for key, c in campaigns.items() if c in campaign_list_for_user(user)}
    assert names == EXPECTED[who]
    assert campaign_list_for_user(user).count() == len(EXPECTED[who])  # no duplicates


def test_campaign_out_of_reach_is_not_found(county, campaigns):
    with pytest.raises(Http404):
        campaign_get_for_user(county.a_teller, campaigns["other"].pk)
    with pytest.raises(Http404):
        campaign_get_for_user(county.b_teller, campaigns["bank_a"].pk)
    with pytest.raises(Http404):
        campaign_get_for_user(county.b_teller, "not-a-number")


def test_activity_and_photo_of_other_bank_are_not_found(county, publicity):
    photo = ActivityPhotoFactory(activity=publicity.a1)
    for who in ("b_manager", "b_teller", "a2_teller", "other_regulator"):
        user = getattr(county, who)
        with pytest.raises(Http404):
            activity_get_for_user(user, publicity.a1.pk)
        with pytest.raises(Http404):
            photo_get_for_user(user, photo.pk)
    assert photo_get_for_user(county.a_manager, photo.pk) == photo
    assert photo_get_for_user(county.regulator, str(photo.pk)) == photo


@pytest.mark.parametrize(
    ("who", "perm", "target", "allowed"),
    [
        ("regulator", "publicity.add_campaign", None, True),
        ("a_manager", "publicity.add_campaign", None, True),
        ("a_handler", "publicity.add_campaign", None, False),
        ("a_teller", "publicity.add_campaign", None, False),
        ("regulator", "publicity.change_campaign", "county", True),
        ("regulator", "publicity.change_campaign", "bank_a", True),
        ("a_manager", "publicity.change_campaign", "bank_a", True),
        ("a_manager", "publicity.change_campaign", "county", False),
        ("b_manager", "publicity.change_campaign", "bank_a", False),
        ("a_teller", "publicity.add_activity", "county", True),
        ("a_handler", "publicity.add_activity", "bank_a", True),
        ("b_teller", "publicity.add_activity", "bank_a", False),
        ("b_teller", "publicity.add_activity", "joint", True),
        ("a_teller", "publicity.add_activity", "other", False),
        ("sysadmin", "publicity.add_activity", "county", False),
        ("regulator", "publicity.view_topic", None, True),
        ("sysadmin", "publicity.change_audience", None, True),
        ("a_manager", "publicity.change_topic", None, False),
    ],
)
def test_permissions_by_role(county, campaigns, who, perm, target, allowed):
    obj = campaigns[target] if target else None
    assert getattr(county, who).has_perm(perm, obj) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("a_teller", True), ("a_manager", True), ("regulator", True), ("a2_teller", False),
     ("b_manager", False), ("sysadmin", False)],
)  # fmt: skip
def test_who_may_change_an_activity(county, publicity, who, allowed):
    assert getattr(county, who).has_perm("publicity.change_activity", publicity.a1) is allowed
