"""The {% icon %} tag: decorative inline SVG, loud on a typo."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from nongsan.portal.templatetags.portal_icons import ICON_PATHS


def render(source: str, **context: object) -> str:
    return Template("{% load portal_icons %}" + source).render(Context(context))


@pytest.mark.parametrize("name", sorted(ICON_PATHS))
def test_every_icon_renders_as_hidden_decorative_svg(name):
    html = render('{% icon "' + name + '" %}')

    assert html.startswith('<svg class="icon" viewBox="0 0 24 24"')
    assert 'aria-hidden="true"' in html
    assert 'focusable="false"' in html
    assert html.endswith("</svg>")


def test_icon_takes_an_extra_class_and_escapes_it():
    html = render('{% icon "home" css_class %}', css_class='icon big"><script>')

    assert 'class="icon big&quot;&gt;&lt;script&gt;"' in html
    assert "<script>" not in html


def test_unknown_icon_fails_loudly():
    with pytest.raises(TemplateSyntaxError, match="Unknown icon 'hom'"):
        render('{% icon "hom" %}')
