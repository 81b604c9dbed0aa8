"""Every page without arguments of both hosts, opened once in a real browser (the public
site, the company's login page, then as Szef of a company with sample data): axe-core
finds no serious or critical accessibility violation at desktop and phone width, and no
page raises a Content Security Policy violation or a server error.

The pages are discovered from the URL configuration (tests/support/page_walk.py): a page
added later is checked by itself. The pages of objects: test_every_object_page_browser.py."""

from __future__ import annotations

from tests.support.page_walk import Walk, axe_findings, csp_violations, server_errors, walk_fixture

_walk_memo, walk = walk_fixture(objects=False)


def test_every_page_has_no_serious_accessibility_violation_at_desktop_and_phone_width(walk: Walk) -> None:
    assert "/" in walk.public_axe and "/signup/" in walk.public_axe
    assert {"/", "/customers/", "/deals/", "/tasks/", "/settings/"} <= set(walk.company_axe), walk.company_axe

    audited, problems = axe_findings(walk)
    assert audited >= 30, f"only {audited} pages audited"
    assert not problems, f"{len(problems)} serious accessibility violations:\n" + "\n".join(problems)


def test_every_page_without_arguments_raises_no_csp_violation(walk: Walk) -> None:
    assert len({visit.url for visit in walk.csp_plain}) >= 10
    violations = csp_violations([*walk.csp_plain, *walk.csp_other])
    assert not violations, "\n".join(violations)
    errors = server_errors(walk.csp_plain)
    assert not errors, errors
