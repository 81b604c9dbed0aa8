"""Every page of an object (cards, edit forms and panels of real rows: colour chips,
timelines, files), opened once in a real browser as Szef of a company with sample data:
axe-core finds no serious or critical accessibility violation at desktop and phone width
(the first page of each kind), and no page raises a Content Security Policy violation or
a server error (up to three variants of each).

The pages are discovered from the URL configuration (tests/support/page_walk.py): a page
added later is checked by itself. The pages without arguments: test_every_page_browser.py."""

from __future__ import annotations

from tests.support.page_walk import Walk, axe_findings, csp_violations, server_errors, walk_fixture

_walk_memo, walk = walk_fixture(objects=True)


def test_every_page_of_an_object_has_no_serious_accessibility_violation_at_desktop_and_phone_width(walk: Walk) -> None:
    assert {"/customers/7000001/", "/deals/7000001/", "/tasks/7000001/"} <= set(walk.company_axe), walk.company_axe

    audited, problems = axe_findings(walk)
    assert audited >= 30, f"only {audited} pages audited"
    assert not problems, f"{len(problems)} serious accessibility violations:\n" + "\n".join(problems)


def test_every_page_of_an_object_raises_no_csp_violation(walk: Walk) -> None:
    statuses = {visit.url: visit.status for visit in walk.csp_objects}
    assert sum(1 for status in statuses.values() if status == 200) >= 5, statuses
    violations = csp_violations(walk.csp_objects)
    assert not violations, "\n".join(violations)
    errors = server_errors(walk.csp_objects)
    assert not errors, errors
