"""Diacritic- and case-insensitive matching in SQL, for the global search and lists.

`SearchFold("name", "email")` is `public.imcrm_fold(name, email)`: the values joined by
spaces, lower case, without Polish (or other) diacritics ("Łódź" -> "lodz"). The function
is IMMUTABLE, so a trigram index on the same expression serves `__contains` lookups:

    GinIndex(OpClass(SearchFold("name"), name="gin_trgm_ops"), name="deal_name_fold_trgm")

Its SQL (FOLD_FUNCTION_SQL) is installed by a migration of the lowest record app
(crm.contacts 0005), before any index uses it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Func, Model, Q, QuerySet, TextField
from unidecode import unidecode

FOLD_FUNCTION = "public.imcrm_fold"

FOLD_FUNCTION_SQL = """
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.proname = 'imcrm_fold'
  ) THEN
    CREATE FUNCTION public.imcrm_fold(VARIADIC parts text[]) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $f$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, array_to_string(parts, ' '))) $f$;
  END IF;
END
$$;
"""


class SearchFold(Func):
    """`public.imcrm_fold(<fields>)`: lower case, diacritics removed, fields joined by spaces."""

    function = FOLD_FUNCTION
    output_field = TextField()

    def __init__(self, *expressions: Any) -> None:
        super().__init__(*expressions, output_field=TextField())


M = TypeVar("M", bound=Model)

_PHONE_LIKE = re.compile(r"^[\d\s+()./-]+$")


def fold_terms(query: str, *, digits: bool = False, limit: int = 8) -> list[str]:
    """The words of a search in the folded form SearchFold compares with ("Łódź" -> "lodz").
    With `digits`, phone-like words keep their digits only ("600-100-200" -> "600100200"),
    as stored search texts hold phone numbers both ways."""
    terms = []
    for word in query.split():
        if digits and _PHONE_LIKE.match(word) and any(ch.isdigit() for ch in word):
            word = re.sub(r"\D", "", word)
        term = unidecode(word).lower().strip()
        if term:
            terms.append(term)
    return terms[:limit]


def stored_text_search(
    qs: QuerySet[M], *, field: str, terms: Sequence[str], fallback: Sequence[str] = ()
) -> QuerySet[M]:
    """Rows whose stored, already folded column `field` (a "search_text" with a trigram
    index) holds every term. With `fallback` (a column added to a table that had rows),
    rows whose column is still NULL, not yet backfilled, are matched on
    SearchFold(*fallback) instead, which its own trigram index serves."""
    if fallback:
        qs = qs.annotate(_search_fallback=SearchFold(*fallback))
    for term in terms:
        match = Q(**{f"{field}__contains": term})
        if fallback:
            match |= Q(**{f"{field}__isnull": True, "_search_fallback__contains": term})
        qs = qs.filter(match)
    return qs
