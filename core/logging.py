"""Log lines that name the request (and the task) they belong to: JSON for machines, text for people.

LOG_FORMAT chooses (settings): `text` in development, `json` in production, where each line is one JSON object a
log shipper can index without parsing: time, level, logger, message, request_id, task_id and task_name inside a
task, exception text when there is one, and any `extra=` fields the caller passed.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from core.requestid import current_task, request_id

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

# Attributes every LogRecord has; anything else on a record came from `extra=` and is worth keeping.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "task_id",
    "task_name",
}


def _context(record: logging.LogRecord) -> tuple[str | None, str | None, str | None]:
    # A record that went through RequestContextFilter keeps what was current where it was made.
    if hasattr(record, "request_id"):
        return record.request_id, getattr(record, "task_id", None), getattr(record, "task_name", None)
    task = current_task.get()
    return request_id.get(), *(task or (None, None))


class RequestContextFilter(logging.Filter):
    """Stamps request_id, task_id and task_name on each record, for format strings that name them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            rid, task_id, task_name = _context(record)
            record.request_id, record.task_id, record.task_name = rid or "-", task_id, task_name
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; non-Latin text is written as is (UTF-8), not as \\u escapes."""

    def format(self, record: logging.LogRecord) -> str:
        rid, task_id, task_name = _context(record)
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": None if rid == "-" else rid,
        }
        if task_id:
            entry["task_id"], entry["task_name"] = task_id, task_name
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value
        try:
            return json.dumps(entry, ensure_ascii=False, default=str)
        except (TypeError, ValueError):  # an `extra=` value that even str() cannot flatten (a circular structure)
            standard = ("time", "level", "logger", "message", "request_id", "task_id", "task_name", "exception")
            return json.dumps({k: v for k, v in entry.items() if k in standard}, ensure_ascii=False, default=str)


def logging_config(log_format: str, level: str) -> dict:
    """The LOGGING setting: everything to stderr through one handler, in the chosen format."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "core.logging.RequestContextFilter"}},
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {"()": "core.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
