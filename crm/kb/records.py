"""The knowledge-base article as a record type (crm.common.records): the global search
finds articles by title and body (folded: "zolw" finds "Żółw"), exports know their
columns, a deleted article goes to the trash."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.kb.models import Article
from crm.kb.selectors import articles_visible_to

ARTICLE = RecordType(
    key="article",
    key_plural="articles",
    model=Article,
    label=_("artykuł bazy wiedzy"),
    label_plural=_("Baza wiedzy"),
    visible=articles_visible_to,
    card_url_name="kb:article_detail",
    search_fields=("title", "body"),
    export_columns=(
        ("title", _("Tytuł")),
        ("slug", _("Adres")),
        ("group", _("Grupa")),
        ("public", _("Publiczny")),
        ("position", _("Kolejność")),
        ("body", _("Treść")),
        ("updated_at", _("Zmieniono")),
    ),
    icon="bi-journal-text",
    list_related=("group",),
    position=70,
)
