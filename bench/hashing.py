"""Password hashing: Django 5.2's PBKDF2 against the Argon2id the app uses (config/hashers.py).

    python bench/hashing.py [--quick] [--n 20]

Hashes one password `--n` times with each hasher (after one warm-up) and times it,
in wall-clock and CPU time; a login verifies with the same cost as a hash. Argon2id
also holds its memory cost (19 MiB) for the length of a hash; PBKDF2 needs none,
which is why a GPU or ASIC cracks it far more cheaply. Goals (issue 19): the
configured Argon2id is at least OWASP's minimum (m >= 19 MiB with t >= 2, p = 1) and
cheaper in CPU than PBKDF2 at Django's default 1,000,000 iterations (p50). Exit code 1
when one is missed; figures go to bench/results/hashing.json.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher  # noqa: E402

from bench.common import Run, parser, percentile, r1  # noqa: E402
from config.hashers import Argon2idPasswordHasher  # noqa: E402

PASSWORD = "Zielona-Herbata-77"


def timed(hasher: object, n: int) -> tuple[list[float], list[float]]:
    encode = hasher.encode  # type: ignore[attr-defined]
    salt = hasher.salt  # type: ignore[attr-defined]
    encode(PASSWORD, salt())
    wall, cpu = [], []
    for _ in range(n):
        w0, c0 = time.perf_counter(), time.process_time()
        encode(PASSWORD, salt())
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def main() -> int:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--n", type=int, help="hashes per hasher (default 20; --quick: 3)")
    args = args_parser.parse_args()
    n = args.n or (3 if args.quick else 20)
    argon = Argon2idPasswordHasher()
    run = Run(
        "hashing",
        quick=args.quick,
        params={
            "n": n,
            "configured": get_hasher().algorithm,
            "argon2id": {
                "memory_kib": argon.memory_cost,
                "time_cost": argon.time_cost,
                "parallelism": argon.parallelism,
            },
            "pbkdf2_iterations": PBKDF2PasswordHasher.iterations,
        },
    )
    table = run.table("", ["hasher", "n", "wall p50 ms", "wall p95 ms", "CPU p50 ms"])
    figures: dict[str, Any] = {}
    for label, hasher in (
        (f"PBKDF2-SHA256, {PBKDF2PasswordHasher.iterations:,} iterations", PBKDF2PasswordHasher()),
        (f"Argon2id, m={argon.memory_cost // 1024} MiB, t={argon.time_cost}, p={argon.parallelism}", argon),
    ):
        wall, cpu = timed(hasher, n)
        figures[str(hasher.algorithm)] = {
            "wall_p50_ms": r1(percentile(wall, 50)),
            "cpu_p50_ms": r1(percentile(cpu, 50)),
        }
        table.rows.append([label, n, r1(percentile(wall, 50)), r1(percentile(wall, 95)), r1(percentile(cpu, 50))])
        print(f"{label:44} p50 {percentile(wall, 50):7.1f} ms  CPU {percentile(cpu, 50):7.1f} ms", flush=True)
    run.figures = figures
    strong = argon.memory_cost >= 19 * 1024 and argon.time_cost >= 2 and argon.parallelism == 1
    run.goal(
        "Argon2id at least OWASP's minimum (m >= 19 MiB, t >= 2, p = 1)",
        f"m={argon.memory_cost // 1024} MiB, t={argon.time_cost}, p={argon.parallelism}",
        strong,
    )
    ratio = figures["pbkdf2_sha256"]["cpu_p50_ms"] / max(figures["argon2"]["cpu_p50_ms"], 0.1)
    run.goal(
        "Argon2id CPU p50 below PBKDF2's (1,000,000 iterations)",
        f"{figures['argon2']['cpu_p50_ms']} ms vs {figures['pbkdf2_sha256']['cpu_p50_ms']} ms ({ratio:.1f}x cheaper)",
        figures["argon2"]["cpu_p50_ms"] < figures["pbkdf2_sha256"]["cpu_p50_ms"],
    )
    if get_hasher().algorithm != "argon2":
        run.error(f"the configured first hasher is {get_hasher().algorithm}, not argon2")
    return run.finish()


if __name__ == "__main__":
    sys.exit(main())
