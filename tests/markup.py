"""What a page's markup must hold together for assistive technology: every id once,
and every reference by id (a label's ``for``, ``aria-describedby``, ``aria-labelledby``,
``aria-controls``, an error summary's link) pointing at an element of the page.
Used by the page tests of each app (tests/complaints/test_form_markup.py, …)."""

from collections import Counter
from html.parser import HTMLParser

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "label" and "for" in attrs:
            self.refs.append((tag, "for", attrs["for"] or ""))
        for name in REFERENCES:
            for ref in (attrs.get(name) or "").split():
                self.refs.append((tag, name, ref))
        href = attrs.get("href") or ""
        if tag == "a" and href.startswith("#id_"):  # the error summary's links to fields
            self.refs.append((tag, "href", href[1:]))


def problems(html: str) -> list[str]:
    """Duplicate ids and references to ids the page does not have, sorted."""
    page = _Collector()
    page.feed(html)
    found = [f"duplicate id {i} ×{n}" for i, n in Counter(page.ids).items() if n > 1]
    ids = set(page.ids)
    found += [
        f"<{tag} {name}={ref!r}> points nowhere" for tag, name, ref in page.refs if ref not in ids
    ]
    return sorted(set(found))
