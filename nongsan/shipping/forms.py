"""Forms of the postal staff pages; they only parse, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongsan.shipping.models import TrackingKind


class TrackingEventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Diễn biến"),
        choices=[choice for choice in TrackingKind.choices if choice[0] != TrackingKind.NOTE]
        + [(TrackingKind.NOTE.value, TrackingKind.NOTE.label)],
        widget=forms.RadioSelect,
    )
    location = forms.CharField(label=_("Nơi"), max_length=150, required=False)
    reason = forms.CharField(
        label=_("Lý do (khi giao không thành công)"), max_length=200, required=False
    )
    description = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)
