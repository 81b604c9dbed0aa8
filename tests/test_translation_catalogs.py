"""Translation catalogs: one dictionary per plural rule (crm/common/translation_catalogs.py),
with every string, plural and precedence exactly as Django's one-dictionary-per-file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils.translation import trans_real as _trans_real

from crm.common import translation_catalogs

LANGUAGES = ("pl", "en")
trans_real: Any = _trans_real


def _one_dict_per_file(self: Any, trans: Any) -> None:
    """What Django 5.2's TranslationCatalog.update does (its test is never true)."""
    self._catalogs.insert(0, trans._catalog.copy())
    self._plurals.insert(0, trans.plural)


def _built(update: Any) -> dict[str, Any]:
    """Every msgid of every catalog, translated (plurals for several counts), per language."""
    saved = trans_real.TranslationCatalog.update
    trans_real.TranslationCatalog.update = update
    trans_real._translations = {}
    try:
        answers: dict[str, Any] = {}
        for language in LANGUAGES:
            translation: Any = trans_real.translation(language)
            keys = {key for catalog in translation._catalog._catalogs for key in catalog}
            for key in keys:
                if isinstance(key, tuple):
                    answers[f"{language}|{key[0]}"] = [
                        translation.ngettext(key[0], "", n) for n in (0, 1, 2, 5, 22, 112)
                    ]
                else:
                    answers[f"{language}|{key}"] = translation.gettext(key)
            answers[f"{language}|dicts"] = len(translation._catalog._catalogs)
            answers[f"{language}|rules"] = len({plural.__code__ for plural in translation._catalog._plurals})
        return answers
    finally:
        trans_real.TranslationCatalog.update = saved
        trans_real._translations = {}


@pytest.fixture(scope="module")
def merged_and_per_file() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    yield _built(translation_catalogs._update), _built(_one_dict_per_file)


def test_a_lookup_walks_one_dictionary_per_plural_rule_not_one_per_file(merged_and_per_file):
    merged, per_file = merged_and_per_file
    for language in LANGUAGES:
        assert per_file[f"{language}|dicts"] > 20  # Django's, the libraries', each app's
        # Files are merged while their plural rule repeats (runs of one rule stay apart).
        assert merged[f"{language}|dicts"] * 5 < per_file[f"{language}|dicts"]
    assert merged["pl|dicts"] == merged["pl|rules"] == 1  # every Polish catalog has the same rule
    assert trans_real.TranslationCatalog.update is translation_catalogs._update  # installed at start


def test_every_string_and_plural_reads_as_with_one_dictionary_per_file(merged_and_per_file):
    merged, per_file = merged_and_per_file
    strings = {key for key in per_file if not key.endswith(("|dicts", "|rules"))}

    assert len(strings) > 5000
    assert {key: merged[key] for key in strings} == {key: per_file[key] for key in strings}
    assert merged["en|Ustawienia firmy"] == "Company settings"
    assert merged["pl|English"] == "English"  # ours, loaded last, wins over Django's "angielski"
