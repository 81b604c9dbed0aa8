"""Migration safety: which operations of this project's migrations would rewrite an existing
table or lock it for long in PostgreSQL 15 (docs/migrations.md has the rule for the team).

    findings = project_findings()                     # every migration of crm/, tenants/, billing_saas/, public_site/
    new, stale = baseline_compare(findings, baseline_load())

`baseline.toml` next to this file lists the findings of migrations written before the rule,
each group with the reason it was accepted; `tests/tenants/test_migration_safety.py` fails on a
finding that is not there, and on an entry that no longer matches a finding.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from .checks import RULES, Finding, History, migration_check

__all__ = [
    "BASELINE",
    "RULES",
    "BaselineEntry",
    "Finding",
    "History",
    "baseline_compare",
    "baseline_load",
    "migration_check",
    "project_findings",
]

BASELINE = Path(__file__).with_name("baseline.toml")
PROJECT_PACKAGES = ("crm", "tenants", "billing_saas", "public_site")


def _ours(app_label: str) -> bool:
    try:
        name = apps.get_app_config(app_label).name
    except LookupError:
        return False
    return name.split(".")[0] in PROJECT_PACKAGES


def project_findings() -> list[Finding]:
    """Walk every migration in dependency order (third-party ones only advance the state) and
    check this project's. Reads the migration files only; needs no database."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    graph = loader.graph
    plan: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for leaf in sorted(graph.leaf_nodes()):
        for key in graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                plan.append(key)
    state = ProjectState(real_apps=loader.unmigrated_apps)
    history = History()
    findings: list[Finding] = []
    for key in plan:
        migration = graph.nodes[key]
        if _ours(key[0]):
            findings += migration_check(migration, state, history)
        else:
            for operation in migration.operations:
                operation.state_forwards(key[0], state)
    return findings


@dataclass(frozen=True)
class BaselineEntry:
    app: str
    migration: str
    index: int
    rule: str
    operation: str
    reason: str

    def matches(self, finding: Finding) -> bool:
        return (self.app, self.migration, self.index, self.rule, self.operation) == (
            finding.app,
            finding.migration,
            finding.index,
            finding.rule,
            finding.operation,
        )

    def __str__(self) -> str:
        return f"{self.app}.{self.migration} #{self.index} [{self.rule}] {self.operation}"


def baseline_load(path: Path = BASELINE) -> list[BaselineEntry]:
    """The reviewed findings: `[[migration]]` tables with app, name, reason and `accepted`
    (a list of {op, rule, what}), one group per migration."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        BaselineEntry(group["app"], group["name"], item["op"], item["rule"], item["what"], group["reason"])
        for group in data.get("migration", [])
        for item in group["accepted"]
    ]


def baseline_compare(
    findings: list[Finding], baseline: list[BaselineEntry]
) -> tuple[list[Finding], list[BaselineEntry]]:
    """(findings no entry accepts, entries no finding matches any more)."""
    new = [finding for finding in findings if not any(entry.matches(finding) for entry in baseline)]
    stale = [entry for entry in baseline if not any(entry.matches(finding) for finding in findings)]
    return new, stale
