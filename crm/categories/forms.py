"""Form fields for categories that need more than a name as their label."""

from __future__ import annotations

from typing import Any

from django import forms

from crm.categories.models import DealStage, Pipeline, stage_label, stages_for_choice


class StageChoiceField(forms.ModelChoiceField):
    """A deal stage, labelled "Serwis › Oferta" once the company has more than one pipeline
    (stage names repeat across pipelines). Counts the pipelines once per form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", stages_for_choice())
        super().__init__(*args, **kwargs)
        self._many_pipelines: bool | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> StageChoiceField:
        result: StageChoiceField = super().__deepcopy__(memo)  # type: ignore[misc]  # not in django-stubs
        result._many_pipelines = None
        return result

    def label_from_instance(self, obj: DealStage) -> str:
        if self._many_pipelines is None:
            self._many_pipelines = Pipeline.objects.count() > 1
        return stage_label(obj, many_pipelines=self._many_pipelines)
