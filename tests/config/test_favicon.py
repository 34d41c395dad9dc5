"""The site's icon is served locally, and /favicon.ico (asked for by every browser,
also on pages that name no icon) leads to it instead of a 404."""

from pathlib import Path

from django.contrib.staticfiles import finders


def test_favicon_ico_redirects_to_the_local_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"


def test_pages_name_the_icon(client):
    html = client.get("/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_the_icon_is_an_svg_that_reaches_nothing_outside():
    path = finders.find("favicon.svg")
    assert path is not None
    text = Path(path).read_text(encoding="utf-8")
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    # Offline intranet: nothing in it to fetch.
    assert "href" not in text
    assert "url(" not in text
