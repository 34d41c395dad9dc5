"""A complaint's link built from one reverse() equals reverse() itself, under any
script prefix (a deployment below a sub-path)."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from complaints.links import detail_url_maker


def test_each_link_is_what_reverse_gives():
    url = detail_url_maker()
    for pk in (1, 42, 987654321):
        assert url(pk) == reverse("complaints:detail", args=[pk]) == f"/complaints/{pk}/"


def test_links_follow_the_script_prefix():
    set_script_prefix("/tousu/")
    try:
        assert (
            detail_url_maker()(7)
            == reverse("complaints:detail", args=[7])
            == "/tousu/complaints/7/"
        )
    finally:
        clear_script_prefix()
    assert detail_url_maker()(7) == "/complaints/7/"
