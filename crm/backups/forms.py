from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.backups.models import BackupSchedule


class BackupScheduleForm(forms.ModelForm):
    keep_last = forms.IntegerField(
        label=_("Zachowaj ostatnie"),
        min_value=1,
        max_value=100,
        help_text=_("Tyle ostatnich kopii zostaje; starsze usuwamy razem z ich plikami."),
    )

    class Meta:
        model = BackupSchedule
        fields = ["frequency", "keep_last"]


class RestoreConfirmForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Nazwa firmy"),
        max_length=200,
        help_text=_("Wpisz nazwę firmy, aby potwierdzić: obecne dane zostaną zastąpione danymi z kopii."),
    )
