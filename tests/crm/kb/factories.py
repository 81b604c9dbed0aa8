"""Factories of the knowledge base (call inside the company schema); articles go through
the service so that their HTML is made and sanitised as on a real save."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from crm.kb.models import Announcement, Article, ArticleGroup
from crm.kb.services import announcement_create, article_create


class ArticleGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleGroup

    name = factory.Sequence(lambda n: f"Grupa {n}")
    slug = factory.Sequence(lambda n: f"grupa-{n}")


def article_make(*, title: str = "Artykuł", body: str = "Treść", public: bool = False, **kwargs: object) -> Article:
    group = kwargs.pop("group", None) or ArticleGroupFactory()
    return article_create(actor=None, title=title, body=body, public=public, group=group, **kwargs)  # type: ignore[arg-type]


def announcement_make(*, title: str = "Ogłoszenie", days_ago: int = 0, **kwargs: object) -> Announcement:
    shown_from = timezone.localdate() - datetime.timedelta(days=days_ago)
    return announcement_create(actor=None, title=title, shown_from=shown_from, **kwargs)  # type: ignore[arg-type]
