"""Backup and restore of the big bench company (100,000 customers; seeded by
bench/seed_big.py if missing).

    python bench/backup.py [--quick]

Makes the archive with `company_backup` (the same code as Settings' backups, without
the encryption), then restores it into a new company with `company_restore`, and
deletes that company again (the new company's schema comes from the pool of ready
schemas, filled first as the service keeps it). Prints the time, the archive's size, MB/s (of the archive)
and the peak RSS of this process (memory must stay flat: rows stream in chunks).
Goals (issue 18): backup <= 60 s, restore <= 120 s; exit code 1 when one is missed or
either step fails. Figures go to bench/results/backup.json. `--quick` uses the small
company `benchq`.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bench.common import Run, parser, r1, sql_logging_off  # noqa: E402
from bench.seed_big import bench_company_for  # noqa: E402
from crm.backups.restoring import company_restore  # noqa: E402
from crm.backups.services import archive_plain_write  # noqa: E402
from tenants.db import connection  # noqa: E402
from tenants.models import Company  # noqa: E402
from tenants.services import pool_fill, tenant_delete  # noqa: E402

BACKUP_GOAL_S = 60.0
RESTORE_GOAL_S = 120.0
RESTORED_SUBDOMAIN = "bench-restored"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    args = parser(__doc__.splitlines()[0]).parse_args()
    company = bench_company_for(quick=args.quick)
    connection.set_schema_to_public()
    run = Run("backup", quick=args.quick, params={"company": company.subdomain})
    sql_logging_off()  # DEBUG keeps every statement (with its 2,000-row parameter) otherwise
    leftover = Company.objects.filter(subdomain=RESTORED_SUBDOMAIN).first()
    if leftover is not None:
        tenant_delete(company=leftover)
    rss_before = peak_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "bench-backup.zip"
        started = time.monotonic()
        with archive.open("wb") as target:
            manifest = archive_plain_write(company=company, target=target)
        backup_s = time.monotonic() - started
        connection.set_schema_to_public()
        size_mb = archive.stat().st_size / 1024 / 1024
        rows = sum(m.get("rows", 0) for m in manifest["members"].values())
        rss_after_backup = peak_rss_mb()
        print(f"backup: {rows} rows, {size_mb:.1f} MB in {backup_s:.1f} s ({size_mb / backup_s:.1f} MB/s)", flush=True)

        # A ready schema waits in the pool, as the service keeps it (tenants/pool.py): the
        # restore is timed, not building an empty schema with every migration.
        pool_fill(target=1)
        connection.set_schema_to_public()
        started = time.monotonic()
        try:
            restored = company_restore(
                path=archive,
                subdomain=RESTORED_SUBDOMAIN,
                email="szef@bench-restored.test",
                password="Bench-restore-123",
            )
        except Exception as exc:  # the bench reports any failure and goes on to its result file
            run.error(f"restore failed: {exc}")
            restored = None
        restore_s = time.monotonic() - started
        connection.set_schema_to_public()
        print(f"restore: {restore_s:.1f} s ({size_mb / max(restore_s, 0.001):.1f} MB/s)", flush=True)
        if restored is not None:
            tenant_delete(company=restored)
    peak = peak_rss_mb()
    print(f"peak RSS: {peak:.0f} MB (before: {rss_before:.0f} MB, after the backup: {rss_after_backup:.0f} MB)")
    run.figures = {
        "rows": rows,
        "archive_mb": r1(size_mb),
        "backup_s": r1(backup_s),
        "backup_mb_per_s": r1(size_mb / backup_s),
        "restore_s": r1(restore_s),
        "restore_mb_per_s": r1(size_mb / max(restore_s, 0.001)),
        "peak_rss_mb": r1(peak),
        "rss_before_mb": r1(rss_before),
    }
    table = run.table("Backup and restore", ["step", "seconds", "MB/s"])
    table.rows.append(["backup (company_backup)", r1(backup_s), r1(size_mb / backup_s)])
    table.rows.append(["restore (company_restore)", r1(restore_s), r1(size_mb / max(restore_s, 0.001))])
    run.goal(f"backup <= {BACKUP_GOAL_S:.0f} s", f"{backup_s:.1f} s", backup_s <= BACKUP_GOAL_S)
    run.goal(f"restore <= {RESTORE_GOAL_S:.0f} s", f"{restore_s:.1f} s", restore_s <= RESTORE_GOAL_S)
    return run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
