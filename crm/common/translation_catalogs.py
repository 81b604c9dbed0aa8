"""One dictionary per plural rule in the translation catalogs (Django 5.2's is one per file).

Django keeps the catalogs of a language in a `TranslationCatalog`: a list of dicts, one per
plural equation, merging each newly loaded .mo file into the top dict when it has the same
plural equation as that dict. In Django 5.2 that test compares the new file's plural code
object with the top dict's plural *function* (`trans.plural.__code__ == self._plurals[0]`),
which is never equal: every .mo file (Django's, each library's, each of our ~40 apps') stays
a dict of its own, and every `gettext` walks up to 50 of them. A list page calls gettext
about a thousand times (labels, template `translate` tags), so that walk cost several ms of
every page. `catalog_merging_fix()` compares code with code, as intended: files are merged
into the top dict while their plural equation is the same, so lookups, precedence (a file
loaded later wins) and plural forms are what they were.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.utils.translation import trans_real as _trans_real

trans_real: Any = _trans_real  # its private parts are what is mended


def _update(self: Any, trans: Any) -> None:
    # Merge if plural function is the same as the top catalog's, else prepend.
    if trans.plural.__code__ == self._plurals[0].__code__:
        self._catalogs[0].update(trans._catalog)
    else:
        self._catalogs.insert(0, trans._catalog.copy())
        self._plurals.insert(0, trans.plural)


def catalog_merging_fix() -> None:
    """Install the fixed merge (before any catalog is loaded: called from an app's ready())."""
    catalog = trans_real.TranslationCatalog
    if getattr(catalog.update, "__code__", None) is _update.__code__:
        return
    probe: Any = catalog()
    probe.update(SimpleNamespace(plural=probe._plurals[0], _catalog={}))  # the same plural rule
    if len(probe._catalogs) == 1:
        return  # this Django merges already: leave it alone
    catalog.update = _update
    trans_real._translations = {}  # nothing built with the old merge survives
