from django.db import models


class Replay(models.Model):
    """How far the demo's replay of its campaign's first days has got. The replay runs in its own
    process beside the web server; the pages read this row to say so instead of showing figures
    that are only half made. One row, written by `replay_history`."""

    day = models.PositiveSmallIntegerField(default=1)  # the day being replayed, from 1
    days = models.PositiveSmallIntegerField()
    done = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"day {self.day} of {self.days}" + (" (done)" if self.done else "")

    @classmethod
    def running(cls) -> "Replay | None":
        return cls.objects.filter(done=False).first()
