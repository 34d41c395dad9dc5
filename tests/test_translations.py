"""The English catalog is complete and is what an English-speaking user actually sees.

Chinese is the source language (every msgid is Chinese); locale/en/LC_MESSAGES holds
the English catalog. The .po is read here directly (no msgfmt needed), and the
committed .mo is checked against it, because a machine without gettext serves the
.mo as it is in the repository.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
CJK = re.compile(r"[\u3400-\u9fff]")
# Messages whose English text has to quote the Chinese values a spreadsheet import expects.
QUOTES_CHINESE_INPUT = {
    "请填写“是”或“否”。",
    "“是否工作日”应填“是”或“否”，而不是“%(value)s”",
}


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int | None, str] = field(default_factory=dict)


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"'), text
    assert text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The subset of the PO format that makemessages writes (no obsolete entries)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#~"):
            pytest.fail(f"{path}:{number}: obsolete entry left in the catalog")
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            entry.msgctxt, target = _unquote(line[8:]), ("msgctxt", None)
        elif line.startswith("msgid_plural "):
            entry.msgid_plural, target = _unquote(line[13:]), ("msgid_plural", None)
        elif line.startswith("msgid "):
            entry.msgid, target = _unquote(line[6:]), ("msgid", None)
        elif m := re.match(r"msgstr(?:\[(\d+)\])? (.*)", line):
            index = int(m.group(1)) if m.group(1) is not None else None
            entry.msgstr[index], target = _unquote(m.group(2)), ("msgstr", index)
        elif line.startswith('"') and target is not None:
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, kind, getattr(entry, kind) + _unquote(line))
        else:
            pytest.fail(f"{path}:{number}: unexpected line {raw!r}")
    return entries


@pytest.fixture(scope="module")
def catalog() -> list[Entry]:
    assert PO.exists(), f"{PO} is missing: run makemessages -l en"
    entries = parse_po(PO)
    assert entries, f"{PO} is empty"
    assert entries[0].msgid == "", "the PO header is missing"
    return entries[1:]


def _forms(entry: Entry) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgstr[0] renders msgid, msgstr[1] msgid_plural."""
    if entry.msgid_plural is None:
        return [(entry.msgid, entry.msgstr.get(None, ""))]
    return [(entry.msgid, entry.msgstr.get(0, "")), (entry.msgid_plural, entry.msgstr.get(1, ""))]


def test_catalog_is_not_trivially_small(catalog):
    assert len(catalog) > 500


def test_header_is_english_with_two_plural_forms():
    header = parse_po(PO)[0]
    assert "fuzzy" not in header.flags
    assert "Language: en\\n" in PO.read_text(encoding="utf-8")
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[None]


def test_every_entry_is_translated_and_not_fuzzy(catalog):
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in catalog
        if any(not text.strip() for _, text in _forms(e))
    ]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in catalog if "fuzzy" in e.flags]
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy)


def test_plural_entries_have_both_english_forms(catalog):
    for e in catalog:
        if e.msgid_plural is not None:
            assert set(e.msgstr) == {0, 1}, f"line {e.line}: {e.msgid!r}"


def test_placeholders_survive_translation(catalog):
    wrong = []
    for e in catalog:
        for source, text in _forms(e):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                wrong.append(f"line {e.line}: {source!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_python_format_entries_carry_their_placeholders(catalog):
    for e in catalog:
        if "python-format" in e.flags:
            for source, text in _forms(e):
                for placeholder in set(PLACEHOLDER.findall(source)):
                    assert placeholder in text, f"line {e.line}: {placeholder} lost in {text!r}"


def test_translations_are_english_not_copied_chinese(catalog):
    copied = [
        f"line {e.line}: {text!r}"
        for e in catalog
        if e.msgid not in QUOTES_CHINESE_INPUT
        for _, text in _forms(e)
        if CJK.search(text)
    ]
    assert not copied, "Chinese left in msgstr:\n" + "\n".join(copied)


def test_committed_mo_matches_the_po(catalog):
    assert MO.exists(), f"{MO} is missing: run compilemessages -l en and commit the .mo"
    with MO.open("rb") as f:
        mo = gettext.GNUTranslations(f)
    stale = []
    for e in catalog:
        if e.msgctxt is not None:
            got = mo.pgettext(e.msgctxt, e.msgid)
            if got != e.msgstr[None]:
                stale.append(f"{e.msgctxt}|{e.msgid!r}: .mo has {got!r}")
        elif e.msgid_plural is None:
            got = mo.gettext(e.msgid)
            if got != e.msgstr[None]:
                stale.append(f"{e.msgid!r}: .mo has {got!r}")
        else:
            for n, index in ((1, 0), (2, 1)):
                got = mo.ngettext(e.msgid, e.msgid_plural, n)
                if got != e.msgstr[index]:
                    stale.append(f"{e.msgid!r}[{index}]: .mo has {got!r}")
    assert not stale, "django.mo is out of date; run compilemessages:\n" + "\n".join(stale)


def test_login_page_is_english_on_request(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="en"' in body
    assert "<h1>Sign in</h1>" in body
    assert "Please sign in with the account assigned by your institution." in body
    assert "登录" not in body


def test_login_page_stays_chinese_by_default(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "<h1>登录</h1>" in body
    assert "Sign in" not in body
