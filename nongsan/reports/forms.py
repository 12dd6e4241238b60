"""Forms of the report pages; lengths and statuses are checked by the services, which speak
for the API too."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from nongsan.reports.models import NARRATIVE_FIELDS, NARRATIVE_LABELS
from nongsan.reports.periods import Period, PeriodKind, period_containing, period_parse


def _narrative_field(name: str) -> forms.CharField:
    return forms.CharField(
        label=capfirst(NARRATIVE_LABELS[name]),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NarrativeForm(forms.Form):
    summary = _narrative_field("summary")
    difficulties = _narrative_field("difficulties")
    proposals = _narrative_field("proposals")
    next_plan = _narrative_field("next_plan")

    field_order = list(NARRATIVE_FIELDS)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Lý do trả lại"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng ghi lý do trả lại báo cáo.")},
    )


class PeriodForm(forms.Form):
    """Which period the overview shows: a kind and ``2026-03`` / ``2026-Q1``."""

    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices, required=False)
    period = forms.CharField(
        label=_("Kỳ"),
        required=False,
        help_text=_("Tháng viết 2026-03, quý viết 2026-Q1."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        text = data.get("period") or ""
        if text:
            try:
                period = period_parse(str(text))
            except ValidationError as error:
                self.add_error("period", error.message_dict["period"])
                return data
            data["parsed"] = period
        return data

    def chosen(self, default: Period) -> Period:
        """The typed period, turned into the chosen kind: choosing "Quý" with ``2026-11`` in
        the box (the month the page pre-fills) shows the quarter holding November."""
        if self.is_valid() and self.cleaned_data.get("parsed"):
            period: Period = self.cleaned_data["parsed"]
            kind = self.cleaned_data.get("kind")
            if kind and kind != period.kind:
                return period_containing(kind, period.start)
            return period
        return default


class OpenForm(forms.Form):
    province = forms.IntegerField(widget=forms.HiddenInput)
    period = forms.CharField(widget=forms.HiddenInput, max_length=7)
