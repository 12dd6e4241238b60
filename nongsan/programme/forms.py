"""Forms of the programme's pages: setting targets and entering partner-reported figures.

They only read the input; what may be set, where and by whom is the services' to decide
(the same services the API calls), and their refusals are shown on the fields.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nongsan.geo.models import AdministrativeUnit
from nongsan.onboarding.models import Channel
from nongsan.programme import selectors
from nongsan.programme.models import Indicator
from nongsan.programme.periods import Period, PeriodKind, period_parse

CHOICE_ERROR = _("Hãy chọn một giá trị trong danh sách.")


def _indicator_choices(indicators: list[Indicator]) -> list[tuple[str, str]]:
    return [(indicator.code, gettext(indicator.name)) for indicator in indicators]


class _FigureForm(forms.Form):
    """What both pages ask: an indicator, a unit, a value and a note."""

    indicator = forms.ChoiceField(
        label=_("Chỉ tiêu"), error_messages={"invalid_choice": CHOICE_ERROR}
    )
    channel = forms.ChoiceField(
        label=_("Kênh bán hàng"), error_messages={"invalid_choice": CHOICE_ERROR}
    )
    unit = forms.CharField(label=_("Đơn vị"), max_length=5)
    value = forms.CharField(
        label=_("Giá trị"), max_length=30, help_text=_("Số không âm, ví dụ 1200.")
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(
        self, *args: Any, indicators: list[Indicator], channels: list[Channel], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {indicator.code: indicator for indicator in indicators}
        self.channels = {channel.code: channel for channel in channels}
        self.fields["indicator"].choices = _indicator_choices(indicators)  # type: ignore[attr-defined]

    def clean_indicator(self) -> Indicator:
        return self.indicators[self.cleaned_data["indicator"]]

    def clean_channel(self) -> Channel | None:
        code = self.cleaned_data.get("channel") or ""
        return self.channels.get(code)

    def clean_unit(self) -> AdministrativeUnit:
        try:
            unit = selectors.unit_from_code(self.cleaned_data["unit"])
        except ValidationError as error:
            raise ValidationError(error.message_dict.get("unit", error.messages)) from None
        if unit is None:
            raise ValidationError(_("Hãy chọn tỉnh hoặc xã."))
        return unit


class TargetForm(_FigureForm):
    """A target: indicator [× channel] × unit × year, quarter or month."""

    period = forms.CharField(
        label=_("Kỳ"), max_length=10, help_text=_("Năm (2026), quý (2026-Q3) hoặc tháng (2026-09).")
    )
    field_order = ["indicator", "channel", "unit", "period", "value", "note"]

    def __init__(
        self,
        *args: Any,
        units: list[AdministrativeUnit],
        indicators: list[Indicator],
        channels: list[Channel],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, indicators=indicators, channels=channels, **kwargs)
        channel = self.fields["channel"]
        channel.required = False
        channel.choices = [("", _("Không theo kênh"))] + [  # type: ignore[attr-defined]
            (c.code, c.name) for c in channels
        ]
        self.fields["unit"].widget = forms.Select(
            choices=[("", "—")] + [(unit.code, unit.name) for unit in units]
        )

    def clean_period(self) -> Period:
        return period_parse(self.cleaned_data["period"])


class PartnerFigureForm(_FigureForm):
    """A figure a partner marketplace reported for a unit and a month (counts only)."""

    month = forms.CharField(label=_("Tháng"), max_length=7, help_text=_("Ví dụ 2026-09."))
    field_order = ["channel", "indicator", "unit", "month", "value", "note"]

    def __init__(
        self, *args: Any, indicators: list[Indicator], channels: list[Channel], **kwargs: Any
    ) -> None:
        partners = [channel for channel in channels if not channel.is_this_platform]
        counts = [indicator for indicator in indicators if not indicator.is_ratio]
        super().__init__(*args, indicators=counts, channels=partners, **kwargs)
        self.fields["channel"].choices = [(c.code, c.name) for c in partners]  # type: ignore[attr-defined]
        self.fields["unit"].help_text = _("Mã tỉnh (2 chữ số) hoặc mã xã (5 chữ số).")

    def clean_month(self) -> datetime.date:
        period = period_parse(self.cleaned_data["month"])
        if period.kind != PeriodKind.MONTH:
            raise ValidationError(_("Ghi một tháng, ví dụ 2026-09."))
        return period.start
