"""An English-speaking user sees English everywhere but in what people typed.

Every demo role signs in, switches to English with the language menu, and opens the
workbench, the list, each complaint it may see, their print forms and the supervision
pages it may open. No Chinese character (nor full-width punctuation) may appear
outside the regions that hold entered data — complaint text, names, institution
names — which the templates mark with ``data-user-content``.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from complaints.rules import complaints_visible_to
from institutions.demo import USERS

#: CJK ideographs, CJK punctuation (、。「」〔〕…) and full-width forms (：（）；).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
CHECKED_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
SUPERVISION_PAGES = [
    "supervision:board",
    "supervision:major",
    "supervision:urges",
    "supervision:statistics",
    "supervision:library",
    "supervision:enforcement_list",
    "training:list",
    "training:create",
    "convention:index",
    "convention:publish",
    "convention:sign",
]


class _Scan(HTMLParser):
    """Collects the Chinese text outside ``data-user-content`` elements (and outside
    <option lang=…>, the language menu naming each language in itself)."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.skipping = 0
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if not self.skipping and "data-user-content" not in a:
            for name in CHECKED_ATTRIBUTES:
                if a.get(name) and CJK.search(a[name]):
                    self.found.append(f"<{tag} {name}={a[name]!r}>")
        if tag in VOID:
            return
        skip = (
            "data-user-content" in a
            or tag in ("script", "style", "title")
            or (tag == "option" and "lang" in a)
        )
        self.stack.append((tag, skip))
        self.skipping += skip

    def handle_endtag(self, tag):
        while self.stack:
            opened, skip = self.stack.pop()
            self.skipping -= skip
            if opened == tag:
                break

    def handle_data(self, data):
        if not self.skipping and CJK.search(data):
            where = self.stack[-1][0] if self.stack else ""
            self.found.append(f"<{where}> {data.strip()[:80]}")


def chinese_outside_user_content(html: str) -> list[str]:
    scan = _Scan()
    scan.feed(html)
    return scan.found


def test_scanner_finds_chinese_and_skips_marked_regions():
    html = (
        "<p>Valid complaint：yes</p><dd data-user-content>张三 <b>李四</b></dd>"
        '<span title="修改密码">x</span><option lang="zh-hans">简体中文</option><i>通过</i>'
    )
    assert chinese_outside_user_content(html) == [
        "<p> Valid complaint：yes",
        "<span title='修改密码'>",
        "<i> 通过",
    ]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
        call_command("flush", "--noinput", verbosity=0)


def _english_client(username: str) -> Client:
    from institutions.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    # As a user does: the language menu posts to set_language.
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _pages(username: str) -> list[str]:
    from institutions.models import User

    user = User.objects.get(username=username)
    urls = [reverse("home"), reverse("complaints:list")]
    for pk in complaints_visible_to(user).order_by("pk").values_list("pk", flat=True):
        urls += [reverse("complaints:detail", args=[pk]), reverse("complaints:print", args=[pk])]
    urls += [reverse(name) for name in SUPERVISION_PAGES]
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("username", [u[0] for u in USERS])
def test_english_pages_have_no_chinese_outside_entered_data(demo, username):
    client = _english_client(username)
    problems = {}
    opened = 0
    for url in _pages(username):
        response = client.get(url)
        if response.status_code in (403, 404):  # a page this role may not open
            continue
        assert response.status_code == 200, url
        opened += 1
        found = chinese_outside_user_content(response.content.decode())
        if found:
            problems[url] = found
    assert opened >= 3
    assert problems == {}


@pytest.mark.django_db
def test_every_complaint_is_checked_by_someone(demo):
    # The supervisor sees the whole county: every demo complaint's page is scanned.
    assert set(_pages("pbc_supervisor")) >= {
        reverse("complaints:detail", args=[pk])
        for pk in Complaint.objects.values_list("pk", flat=True)
    }
