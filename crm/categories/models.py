"""Colour-labelled categories that Szef personalises in Settings (seed 003).

Every category has a name and a colour, shown as chips, board columns and report
series. The four sales statuses W toku / Wygrane / Odroczone / Przegrane are
`locked` and carry a `code` the system relies on (e.g. "won" reports use
Wygrane); customer statuses carry optional codes the dashboard counts by.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Podaj kolor w formacie #RRGGBB."))


class ColourCategory(models.Model):
    name = models.CharField(_("nazwa"), max_length=100)
    color = models.CharField(_("kolor"), max_length=7, default="#6c757d", validators=[colour_validator])
    position = models.PositiveIntegerField(_("kolejność"), default=0)
    locked = models.BooleanField(_("zablokowana"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name


def _unique_name(model_name: str) -> list[models.BaseConstraint]:
    return [models.UniqueConstraint(Lower("name"), name=f"{model_name}_name_ci_unique")]


class ContactGroup(ColourCategory):
    class Meta(ColourCategory.Meta):
        verbose_name = _("grupa kontaktów")
        verbose_name_plural = _("grupy kontaktów")
        constraints = _unique_name("contactgroup")


class ContactSource(ColourCategory):
    class Meta(ColourCategory.Meta):
        verbose_name = _("źródło pozyskania")
        verbose_name_plural = _("źródła pozyskania")
        constraints = _unique_name("contactsource")


class CustomerStatusCode(models.TextChoices):
    NEW = "new", _("Nowy")
    CURRENT = "current", _("Bieżący")
    FORMAL = "formal", _("Formalny")
    FOLLOW_UP = "follow_up", _("Do kontaktu")


class CustomerStatus(ColourCategory):
    code = models.CharField(max_length=20, choices=CustomerStatusCode.choices, blank=True)

    class Meta(ColourCategory.Meta):
        verbose_name = _("status klienta")
        verbose_name_plural = _("statusy klientów")
        constraints = _unique_name("customerstatus")


class CustomerType(ColourCategory):
    class Meta(ColourCategory.Meta):
        verbose_name = _("typ klienta")
        verbose_name_plural = _("typy klientów")
        constraints = _unique_name("customertype")


class TaskCategoryCode(models.TextChoices):
    """Tasks of these categories, once done, count as contact with the customer."""

    CALL = "call", _("Rozmowa telefoniczna")
    MEETING = "meeting", _("Spotkanie")


CONTACT_CODES = (TaskCategoryCode.CALL, TaskCategoryCode.MEETING)


class TaskCategory(ColourCategory):
    code = models.CharField(max_length=20, choices=TaskCategoryCode.choices, blank=True)

    class Meta(ColourCategory.Meta):
        verbose_name = _("kategoria zadań")
        verbose_name_plural = _("kategorie zadań")
        constraints = _unique_name("taskcategory")


class DealCategory(ColourCategory):
    class Meta(ColourCategory.Meta):
        verbose_name = _("kategoria sprzedaży")
        verbose_name_plural = _("kategorie sprzedaży")
        constraints = _unique_name("dealcategory")


class DealStatusCode(models.TextChoices):
    IN_PROGRESS = "in_progress", _("W toku")
    WON = "won", _("Wygrane")
    POSTPONED = "postponed", _("Odroczone")
    LOST = "lost", _("Przegrane")


class DealStatus(ColourCategory):
    """`code` is set on the four locked statuses only; custom statuses behave like W toku."""

    code = models.CharField(max_length=20, choices=DealStatusCode.choices, blank=True)

    class Meta(ColourCategory.Meta):
        verbose_name = _("status sprzedaży")
        verbose_name_plural = _("statusy sprzedaży")
        constraints = [
            *_unique_name("dealstatus"),
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="dealstatus_code_unique"),
        ]


class Pipeline(models.Model):
    """A sales pipeline (lejek), e.g. "Hurt" or "Serwis", with its own ordered stages.
    Every company has exactly one default pipeline: new deals and stages go there
    unless told otherwise, and it cannot be deleted."""

    name = models.CharField(_("nazwa"), max_length=100)
    position = models.PositiveIntegerField(_("kolejność"), default=0)
    is_default = models.BooleanField(_("domyślny"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lejek sprzedaży")
        verbose_name_plural = _("lejki sprzedaży")
        ordering = ("position", "id")
        constraints = [
            *_unique_name("pipeline"),
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="pipeline_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def pipeline_default() -> Pipeline:
    """The company's default pipeline (created on signup; made here if it is missing)."""
    pipeline = Pipeline.objects.filter(is_default=True).first()
    if pipeline is None:
        pipeline = Pipeline.objects.order_by("position", "id").first()
        if pipeline is None:
            pipeline = Pipeline.objects.create(name=str(_("Sprzedaż")), position=1, is_default=True)
        else:
            Pipeline.objects.filter(pk=pipeline.pk).update(is_default=True)
            pipeline.is_default = True
    return pipeline


class DealStage(ColourCategory):
    """A stage of one pipeline. `probability` (0–100 %) weighs the deals of the stage in
    the forecast. `position` orders the stages of all pipelines together; each
    pipeline shows its own in that order."""

    pipeline = models.ForeignKey(
        Pipeline,
        verbose_name=_("lejek"),
        on_delete=models.PROTECT,
        related_name="stages",
        null=True,
        db_index=False,  # a handful of stages per company
        db_constraint=False,  # added to an existing table without a scan (docs/migrations.md)
    )
    probability = models.PositiveSmallIntegerField(
        _("prawdopodobieństwo (%)"), default=50, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta(ColourCategory.Meta):
        verbose_name = _("etap sprzedaży")
        verbose_name_plural = _("etapy sprzedaży")
        constraints = [
            # two pipelines may both have an "Oferta"; within one pipeline a name is unique
            models.UniqueConstraint(F("pipeline"), Lower("name"), name="dealstage_pipeline_name_ci_unique"),
            models.CheckConstraint(condition=models.Q(probability__lte=100), name="dealstage_probability_range"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pipeline_id is None:  # the generic category pages add stages to the default pipeline
            self.pipeline = pipeline_default()
        super().save(*args, **kwargs)


def stage_label(stage: DealStage, *, many_pipelines: bool) -> str:
    """A stage as a choice reads "Serwis › Oferta" once the company has more than one
    pipeline: two pipelines may both have an "Oferta"."""
    if many_pipelines and stage.pipeline is not None:
        return f"{stage.pipeline.name} › {stage.name}"
    return stage.name


def stages_for_choice() -> QuerySet[DealStage]:
    """Every stage in board order: pipeline by pipeline, each pipeline's stages in order."""
    return DealStage.objects.select_related("pipeline").order_by("pipeline__position", "pipeline_id", "position", "id")


def stages_labelled() -> list[tuple[DealStage, str]]:
    """Every stage (board order) with its label for a list of choices (`stage_label`)."""
    stages = list(stages_for_choice())
    many = Pipeline.objects.count() > 1
    return [(stage, stage_label(stage, many_pipelines=many)) for stage in stages]


class WinReason(ColourCategory):
    class Meta(ColourCategory.Meta):
        verbose_name = _("powód wygranej")
        verbose_name_plural = _("powody wygranych")
        constraints = _unique_name("winreason")


class LossReason(ColourCategory):
    class Meta(ColourCategory.Meta):
        verbose_name = _("powód przegranej")
        verbose_name_plural = _("powody przegranych")
        constraints = _unique_name("lossreason")


ALL_CATEGORY_MODELS: list[type[ColourCategory]] = [
    ContactGroup,
    ContactSource,
    CustomerStatus,
    CustomerType,
    TaskCategory,
    DealCategory,
    DealStatus,
    DealStage,
    WinReason,
    LossReason,
]
