"""The page shell's own files: vendored htmx and the stylesheet, found without any CDN."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders


def test_vendored_htmx_2_is_found_by_the_staticfiles_finders():
    path = finders.find("vendor/htmx/htmx.min.js")

    assert path is not None
    source = Path(str(path)).read_text(encoding="utf-8")
    assert re.search(r'version:"2\.\d+\.\d+"', source)
    assert finders.find("vendor/htmx/LICENSE") is not None


def test_stylesheet_is_found_and_fetches_nothing_from_elsewhere():
    path = finders.find("css/site.css")

    assert path is not None
    css = Path(str(path)).read_text(encoding="utf-8")
    assert "@import" not in css
    assert "@font-face" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)


def test_live_server_serves_htmx_and_the_stylesheet(live_server):
    from urllib.request import urlopen

    for path, marker in (
        ("/static/vendor/htmx/htmx.min.js", b"htmx"),
        ("/static/css/site.css", b".container"),
    ):
        with urlopen(live_server.url + path) as response:  # noqa: S310 - our own test server
            assert response.status == 200
            assert marker in response.read()
