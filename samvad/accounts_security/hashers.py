"""Argon2id with OWASP's minimum parameters (decision 014): 7 MiB, 5 passes, 1 lane.

OWASP lists five settings of equal strength, from 46 MiB with 1 pass to 7 MiB with 5; on our
2-core servers the last costs the least CPU per log-in (a third less than 19 MiB with 2 passes),
and the log-ins of a crowd arriving together are what queue. Django's defaults (100 MiB, 2
passes, 8 lanes) cost more than ten times as much. Hashes made with other parameters still
verify, and Django re-hashes them with these at the next successful log-in (`must_update`
compares the parameters)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 5
    memory_cost = 7 * 1024  # KiB
    parallelism = 1
