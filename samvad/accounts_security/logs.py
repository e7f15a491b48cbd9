"""Logging that says what happened without burying it: a 403 is one line."""

import logging


class ForbiddenInOneLine(logging.Filter):
    """Django logs every PermissionDenied with its traceback; a refusal is the access rules
    working, so the line (status, path) is all that is worth keeping."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
