"""The per-row error policy (error-handling-strategy, retry-num, retry-fallback-strategy): the
provider parses and validates the options, and this module alone says what they mean, since
only the Python side sees which row raised."""
import traceback
from typing import Optional

__all__ = ["ErrorPolicy", "ModelError", "reason", "with_traceback"]


class ModelError(Exception):
    """A failure reported to Java as an ERROR message, already worded for the user.

    ``reason`` is the short form (``ValueError: bad input``) that fills the ``error-string``
    column of a row the error policy skips."""

    def __init__(self, message: str, reason: Optional[str] = None) -> None:
        super().__init__(message)
        self.reason = reason or message.split("\n", 1)[0]


def reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


class ErrorPolicy:
    """error-handling-strategy, retry-num and retry-fallback-strategy, as the provider sent them."""

    def __init__(self, options: Optional[dict] = None) -> None:
        options = options or {}
        self.strategy = options.get("strategy", "failover")
        self.attempts = 1 + int(options.get("retry_num", 0)) if self.strategy == "retry" else 1
        self.ignores = self.strategy == "ignore" or (
            self.strategy == "retry" and options.get("retry_fallback") == "ignore")

    def describe(self) -> str:
        if self.strategy == "retry":
            attempts = f"{self.attempts} attempt{'' if self.attempts == 1 else 's'}"
            return (f"error-handling-strategy 'retry', {attempts}, then"
                    f" {'ignore' if self.ignores else 'failover'}")
        return f"error-handling-strategy '{self.strategy}'"


def with_traceback(message: str, error: BaseException) -> str:
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return f"{message}\n\nPython traceback:\n{trace}"
