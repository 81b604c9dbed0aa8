"""Forms of the knowledge-base and announcement pages (the rules live in crm/kb/services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.kb.models import Announcement, Article, ArticleGroup

MARKDOWN_HELP = _(
    "Markdown: **pogrubienie**, *kursywa*, # nagłówek, - lista, [link](https://…). Kod HTML jest pokazywany jako tekst."
)


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ("title", "group", "slug", "public", "portal", "position", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "class": "font-monospace"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Część adresu strony; pusty: utworzony z tytułu.")
        self.fields["body"].help_text = MARKDOWN_HELP
        self.fields["position"].widget.attrs["min"] = "0"

    def validate_unique(self) -> None:
        """The service says it in the user's words (crm.kb.services._article_check)."""


class GroupForm(forms.ModelForm):
    class Meta:
        model = ArticleGroup
        fields = ("name", "slug", "position")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Część adresu strony; pusty: utworzony z nazwy.")
        self.fields["position"].widget.attrs["min"] = "0"

    def validate_unique(self) -> None:
        """The service says it in the user's words (crm.kb.services._group_check)."""


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ("title", "shown_from", "shown_until", "body")
        widgets = {
            "shown_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "shown_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = MARKDOWN_HELP
        self.fields["shown_until"].help_text = _("Pusta: bez końca.")


class ArticleSearchForm(forms.Form):
    small = True
    q = forms.CharField(label=_("Szukaj"), required=False, max_length=100)

    def query(self) -> str:
        return str(self.cleaned_data.get("q", "")) if self.is_valid() else ""
