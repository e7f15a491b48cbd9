"""Argon2id with OWASP's minimum parameters (decision 014): 19 MiB, 2 passes, 1 lane.

Django's defaults (100 MiB, 2 passes, 8 lanes) cost about eight times the CPU per log-in on a
2-core server, which made log-in the slowest request under a crowd. Hashes made with other
parameters still verify, and Django re-hashes them with these at the next successful log-in
(`must_update` compares the parameters)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
