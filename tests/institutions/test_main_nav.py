"""The top bar's links (``{% main_nav %}``) are the ones the template it replaced
showed, for every role, in both languages; a permission decides per request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.context_processors import PermWrapper
from django.template import Context, Template
from django.utils import translation

#: templates/_nav.html before the links were written in Python, kept beside this test.
NAV_TEMPLATE = Template((Path(__file__).parent / "nav_before.html").read_text(encoding="utf-8"))

MAIN_NAV = Template("{% load main_nav %}{% main_nav %}")

USERS = ["a_teller", "a1_handler", "a_manager", "regulator", "sysadmin"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("who", USERS)
def test_links_are_what_the_template_showed(county, who, language):
    user = getattr(county, who)
    with translation.override(language):
        ours = MAIN_NAV.render(Context({"user": user}))
        theirs = NAV_TEMPLATE.render(Context({"user": user, "perms": PermWrapper(user)}))
    # The same links in the same order; the later ones may sit under the 更多 menu.
    assert _links(ours) == _links(theirs)


def _links(html: str) -> list[tuple[str, str]]:
    found = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    return [(href, text.strip()) for href, text in found]


def test_more_menu_groups_the_places_after_the_fourth(county):
    with translation.override("zh-hans"):
        regulator = MAIN_NAV.render(Context({"user": county.regulator}))
        teller = MAIN_NAV.render(Context({"user": county.a_teller}))
    bar, more = regulator.split('<details class="nav-more">')
    assert _texts(bar) == ["我的工作台", "投诉列表", "登记投诉", "督查看板"]
    assert "<summary>更多</summary>" in more
    assert _texts(more) == ["宣传教育", "培训与公约", "考核评价", "报表与数据", "管理后台"]
    bar, more = teller.split('<details class="nav-more">')
    assert _texts(bar) == ["我的工作台", "投诉列表", "登记投诉", "案例库"]
    assert _texts(more) == ["宣传教育"]


def _texts(html: str) -> list[str]:
    return [text for _href, text in _links(html)]


def test_each_user_sees_their_own_links(county):
    def links(user):
        with translation.override("zh-hans"):
            return MAIN_NAV.render(Context({"user": user}))

    regulator, teller = links(county.regulator), links(county.a_teller)
    assert "督查看板" in regulator
    assert "督查看板" not in teller
    assert "登记投诉" in teller
    # The same words for the same permissions: kept, and still right afterwards.
    assert links(county.regulator) == regulator
    assert links(county.a_teller) == teller
