"""The error every conversion raises for a value that does not fit its column."""
from typing import Any

__all__ = ["ConversionError", "short_repr"]


class ConversionError(ValueError):
    """A value that does not fit its column: carries the column, the row and the value."""


def short_repr(value: Any, limit: int = 200) -> str:
    """``repr`` cut to ``limit`` characters, for messages that quote a user's value."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
