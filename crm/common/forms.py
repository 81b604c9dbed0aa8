"""One way to render every form: the project's FORM_RENDERER gives each field Bootstrap's
classes as it is drawn and lays it out with one template, `common/field.html`
(`{{ form.name.as_field_group }}`, or `{% include "common/field.html" with field=... %}`).

A form may say:
- `small = True`: compact inputs, labels and spacing (filter bars, the operator console);
- `field_groups = {"field": "key"}`: the field's wrapper carries `data-field-group="key"`
  (scripts show or hide it);
- `error_id_suffix`: the id of a field's error text is `<field id><suffix>` (default `_error`,
  the id Django's `aria-describedby` points at).

Every select's empty choice reads "— wybierz —" instead of Django's "---------"
(a form that names its own `empty_label`, e.g. "Wszyscy", keeps it).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext as _

BASE_CLASSES = frozenset({"form-control", "form-select", "form-check-input", "form-range"})


def widget_css(widget: forms.Widget, *, small: bool = False) -> str | None:
    """Bootstrap's class for a widget; None for hidden inputs and checkbox lists (their
    option template styles each box: a class on the list would land on its wrapper)."""
    if widget.is_hidden or isinstance(widget, forms.CheckboxSelectMultiple):
        return None
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select form-select-sm" if small else "form-select"
    if getattr(widget, "input_type", "") == "color":
        return "form-control form-control-color"
    return "form-control form-control-sm" if small else "form-control"


class BoundField(forms.BoundField):
    """Adds Bootstrap's class (unless the widget names one itself) and `is-invalid` on
    errors; the error text's id is the one `aria-describedby` names."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        css = widget_css(widget, small=self.small)
        if css is None:
            return attrs
        classes = str(attrs.get("class", widget.attrs.get("class", ""))).split()
        if not BASE_CLASSES.intersection(classes):
            classes = [*css.split(), *classes]
        if self.errors and "is-invalid" not in classes:
            classes.append("is-invalid")
        attrs["class"] = " ".join(classes)
        return attrs

    @property
    def small(self) -> bool:
        return bool(getattr(self.form, "small", False))

    @property
    def group(self) -> str:
        return str(getattr(self.form, "field_groups", {}).get(self.name, ""))

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}{getattr(self.form, 'error_id_suffix', '_error')}"

    @property
    def aria_describedby(self) -> str | None:
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}_helptext")
            if self.errors:
                ids.append(self.error_id)
        return " ".join(ids)


DJANGO_BLANK_LABEL = "---------"


def empty_choice_label() -> str:
    return _("— wybierz —")


def _blank_labels_named(context: dict[str, Any]) -> None:
    widget = context.get("widget")
    if not isinstance(widget, dict) or "optgroups" not in widget:
        return
    for _group, options, _index in widget["optgroups"]:
        for option in options:
            if option.get("label") == DJANGO_BLANK_LABEL:
                option["label"] = empty_choice_label()


class FormRenderer(DjangoTemplates):
    """FORM_RENDERER: Django's template renderer with the project's field template and BoundField."""

    field_template_name = "common/field.html"
    bound_field_class = BoundField

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        _blank_labels_named(context)
        return super().render(template_name, context, request)


# django-stubs types `form.fields` as `dict[str, Field]`; these give a field back as the
# kind it is, so setting its queryset/choices/empty_label type-checks (no runtime effect).


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast("forms.ChoiceField", form.fields[name])
