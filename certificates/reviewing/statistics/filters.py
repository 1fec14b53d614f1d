"""The page's filters and what they come to: a course, a period, an order."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from certificates.models import KYIV
from certificates.reviewing.statistics.period import MAX_MONTHS, Period
from courses.models import CoursePage


class OblastOrder(models.TextChoices):
    NAME = "name", _("By name")
    ENROLLED = "enrolled", _("By number enrolled")


class StatisticsForm(forms.Form):
    """The filters; every field is optional and falls back to the defaults."""

    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.order_by("title").only("pk", "title", "path"),
        required=False,
        empty_label=_("All courses"),
    )
    date_from = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Period to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    oblast_order = forms.ChoiceField(
        label=_("Sort oblasts"),
        choices=OblastOrder.choices,
        required=False,
    )

    def clean(self):
        data = super().clean()
        data["period"] = _period(data.get("date_from"), data.get("date_to"))
        _check_period(data["period"])
        return data


def _period(start: datetime.date | None, end: datetime.date | None) -> Period:
    """The days chosen; a missing start or end falls back to the defaults."""
    if start is None:
        return Period.default(end=end)
    return Period(start, end or timezone.localdate(timezone=KYIV))


def _check_period(period: Period) -> None:
    if period.start > period.end:
        raise forms.ValidationError(
            _("The period must not end before it starts."), code="reversed"
        )
    if len(period.months) > MAX_MONTHS:
        raise forms.ValidationError(
            ngettext(
                "Choose a period of at most %(months)s month.",
                "Choose a period of at most %(months)s months.",
                MAX_MONTHS,
            )
            % {"months": MAX_MONTHS},
            code="too_long",
        )


@dataclass(frozen=True)
class Choice:
    """What the page shows: the filters as cleaned, or the defaults."""

    course: CoursePage | None
    period: Period
    oblast_order: str

    @classmethod
    def from_form(cls, form: StatisticsForm) -> "Choice":
        if not form.is_bound or not form.is_valid():
            return cls(None, Period.default(), OblastOrder.NAME)
        data = form.cleaned_data
        return cls(
            data["course"], data["period"], data["oblast_order"] or OblastOrder.NAME
        )
