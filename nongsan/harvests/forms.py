"""Forms of the harvest calendar pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import CalendarEntry


class PlaceForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        required=False,
        queryset=AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True),
        to_field_name="code",
        empty_label=_("Cả nước"),
    )


class CalendarEntryForm(forms.ModelForm):
    class Meta:
        model = CalendarEntry
        fields = [
            "season_name",
            "plant_from_month",
            "plant_from_day",
            "plant_until_month",
            "plant_until_day",
            "harvest_from_month",
            "harvest_from_day",
            "harvest_until_month",
            "harvest_until_day",
            "maturity_days_min",
            "maturity_days_max",
            "yield_tonnes_per_ha",
        ]
        # Typed as the reader's language writes it: 7,5 in Vietnamese, 7.5 in English.
        localized_fields = ["yield_tonnes_per_ha"]
