"""@mentions in notes: "@Anna Nowak" names a colleague by the name the autocomplete
inserts (the person's display name); matched without case, whole names only."""

from __future__ import annotations

import re

from crm.accounts.models import User


def mentioned_people(text: str, *, author: User | None = None) -> list[User]:
    """Active staff named as "@<name>" in `text` (not the author)."""
    if "@" not in text:
        return []
    folded = text.casefold()
    found: list[User] = []
    for person in User.objects.filter(is_active=True).order_by("pk"):
        if author is not None and person.pk == author.pk:
            continue
        name = str(person).strip()
        if name and re.search(r"(?<![\w@])@" + re.escape(name.casefold()) + r"(?!\w)", folded):
            found.append(person)
    return found


def people_matching(query: str, *, limit: int = 8) -> list[User]:
    """Active staff whose name or e-mail starts a word with `query` (the autocomplete)."""
    query = query.strip().lstrip("@")
    people = User.objects.filter(is_active=True).order_by("name", "email")
    if not query:
        return list(people[:limit])
    folded = query.casefold()
    chosen = [p for p in people if any(w.startswith(folded) for w in f"{p} {p.email}".casefold().split())]
    return chosen[:limit]
