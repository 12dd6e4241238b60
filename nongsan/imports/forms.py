"""Forms of the import pages: the upload and the column mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nongsan.imports.columns import FIELDS, IGNORED
from nongsan.imports.reading import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách hộ (.xlsx hoặc .csv)"),
        help_text=_("Dòng tiêu đề có thể nằm dưới vài dòng tiêu đề chung; tối đa 50 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa 50 MB."))
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file: which registry field it holds, or none."""

    def __init__(self, *args: Any, headers: list[str], mapping: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(IGNORED, _("— bỏ qua cột này —")), *FIELDS.items()]
        self.headers = headers
        for position, header in enumerate(headers):
            self.fields[f"column_{position}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, IGNORED)
            )

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"column_{position}") or IGNORED
            for position, header in enumerate(self.headers)
        }
