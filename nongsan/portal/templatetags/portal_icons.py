"""Inline SVG icons for the page shell, so tiles and buttons carry a picture without an icon
font, a sprite request or a CDN (cheap phones on slow data, and no third party sees the visit)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Each icon is the inside of a 24×24 stroked SVG, drawn for this project. Add new ones here.
ICON_PATHS: dict[str, str] = {
    "home": '<path d="M3 11l9-8 9 8"/><path d="M5 10v10h5v-6h4v6h5V10"/>',
    "map-pin": (
        '<path d="M12 22s7-6.2 7-12a7 7 0 0 0-14 0c0 5.8 7 12 7 12z"/>'
        '<circle cx="12" cy="10" r="2.5"/>'
    ),
    "code": '<path d="M8 7l-5 5 5 5"/><path d="M16 7l5 5-5 5"/><path d="M14 4l-4 16"/>',
    "sliders": (
        '<path d="M4 6h16"/><path d="M4 12h16"/><path d="M4 18h16"/>'
        '<circle cx="9" cy="6" r="2" fill="currentColor"/>'
        '<circle cx="15" cy="12" r="2" fill="currentColor"/>'
        '<circle cx="7" cy="18" r="2" fill="currentColor"/>'
    ),
    "sprout": (
        '<path d="M12 21v-9"/><path d="M12 12C12 8 9 5 4 5c0 4 3 7 8 7z"/>'
        '<path d="M12 10c0-3 2.5-6 7-6 0 3.5-2.5 6-7 6z"/>'
    ),
    "basket": (
        '<path d="M3 9h18l-2 11H5L3 9z"/><path d="M8 9l4-6 4 6"/>'
        '<path d="M9 13v4"/><path d="M12 13v4"/><path d="M15 13v4"/>'
    ),
    "truck": (
        '<path d="M2 5h11v10H2z"/><path d="M13 8h4l4 4v3h-8"/>'
        '<circle cx="6.5" cy="18" r="2"/><circle cx="17" cy="18" r="2"/>'
    ),
    "users": (
        '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6"/>'
        '<path d="M16 4.5a3.5 3.5 0 0 1 0 7"/><path d="M18 14.5c2 .7 3.5 2.6 3.5 5.5"/>'
    ),
    "landmark": (
        '<path d="M3 21h18"/><path d="M12 3l9 5H3l9-5z"/><path d="M4 10h16"/>'
        '<path d="M6 10v8"/><path d="M10 10v8"/><path d="M14 10v8"/><path d="M18 10v8"/>'
    ),
    "link": (
        '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/>'
        '<path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>'
    ),
    "store": (
        '<path d="M3 9l2-5h14l2 5"/><path d="M3 9h18"/><path d="M5 9v11h14V9"/>'
        '<path d="M10 20v-5h4v5"/>'
    ),
    "calendar": (
        '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18"/>'
        '<path d="M8 3v4"/><path d="M16 3v4"/>'
    ),
    "chart": (
        '<path d="M4 4v16h16"/><path d="M8 16v-5"/><path d="M12 16V8"/><path d="M16 16v-7"/>'
    ),
    "arrow-right": '<path d="M5 12h14"/><path d="M13 6l6 6-6 6"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "check": '<path d="M4 12l5 5L20 6"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4 4-6 8-6s8 2 8 6"/>',
    "globe": (
        '<circle cx="12" cy="12" r="9"/><path d="M3 12h18"/>'
        '<path d="M12 3a14 14 0 0 1 0 18a14 14 0 0 1 0-18z"/>'
    ),
    "alert": ('<path d="M12 3l10 18H2L12 3z"/><path d="M12 10v5"/><path d="M12 18v.5"/>'),
}


@register.simple_tag
def icon(name: str, css_class: str = "icon") -> SafeString:
    """Decorative inline SVG (hidden from screen readers: the text next to it says the same);
    an unknown name fails loudly so a typo is caught by the page's test, not by a visitor."""
    try:
        paths = ICON_PATHS[name]
    except KeyError:
        raise template.TemplateSyntaxError(f"Unknown icon {name!r}") from None
    return format_html(
        '<svg class="{}" viewBox="0 0 24 24" width="24" height="24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        'aria-hidden="true" focusable="false">{}</svg>',
        css_class,
        mark_safe(paths),  # noqa: S308 - constants written in this module, never user input
    )
