"""The filters of the audit trail page, with Vietnamese errors for what people mistype."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
EARLIEST_DAY = datetime.date(2000, 1, 1)
LATEST_DAY = datetime.date(2100, 12, 31)
ACTION_FILTER = re.compile(r"[a-z0-9_.]+")

_DATE_ERRORS = {"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 23/11/2026.")}


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Hành động"),
        required=False,
        max_length=100,
        help_text=_("Mã hành động hoặc phần đầu của mã, ví dụ accounts.role_grant hoặc accounts."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=[DATE_FORMAT],
        error_messages=_DATE_ERRORS,
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=[DATE_FORMAT],
        error_messages=_DATE_ERRORS,
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
    )
    reveals_only = forms.BooleanField(label=_("Chỉ các lần xem dữ liệu cá nhân"), required=False)

    def clean_action(self) -> str:
        action = self.cleaned_data["action"].strip().lower()
        if action and not ACTION_FILTER.fullmatch(action):
            raise forms.ValidationError(
                _("Mã hành động chỉ gồm chữ không dấu, chữ số, dấu gạch dưới và dấu chấm.")
            )
        return action

    def _clean_day(self, name: str) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get(name)
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise forms.ValidationError(_("Hãy chọn một ngày trong khoảng năm 2000 đến năm 2100."))
        return day

    def clean_date_from(self) -> datetime.date | None:
        return self._clean_day("date_from")

    def clean_date_to(self) -> datetime.date | None:
        return self._clean_day("date_to")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
        return cleaned
