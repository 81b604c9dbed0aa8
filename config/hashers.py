"""Password hashing: Argon2id first (OWASP's first choice), PBKDF2 kept to read the
hashes made before; Django re-hashes a password with the first hasher when its owner
signs in (`check_password`'s setter), so old hashes upgrade on login.

Cost: OWASP's "m=19 MiB, t=2, p=1" row. `python bench/hashing.py` measures it against
Django 5.2's PBKDF2 (1,000,000 SHA-256 iterations) on this machine: several times
cheaper in CPU per signup and login, and memory-hard, which PBKDF2 is not (results in
bench/results/hashing.json and the README)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (argon2id, algorithm name `argon2`) at OWASP's 19 MiB row."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
