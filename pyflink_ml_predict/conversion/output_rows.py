"""The shapes an output row may take (Row, tuple, list, named Row, dict) and their values in
column order: the one rule for what ``predict`` may return, used by every way a model runs."""
from typing import Any, List

from pyflink.common import Row

from .errors import ConversionError, short_repr

__all__ = ["row_values"]


def row_values(row: Any, names: List[str], what: str = "an output row") -> List[Any]:
    """The values of a Row/tuple/list (by position) or a named Row/dict (by name)."""
    kind = type(row)
    if kind is tuple and len(row) == len(names):  # the common forms first, with nothing to check
        return row
    if kind is Row:
        state = row.__dict__
        if not state.get("_fields") and len(state["_values"]) == len(names):
            return state["_values"]
    if isinstance(row, dict):
        missing = [n for n in names if n not in row]
        extra = [k for k in row if k not in names]
        if missing or extra:
            raise ConversionError(
                f"{what} given as a dict must have exactly the keys {names};"
                f" missing {missing}, unexpected {extra}"
            )
        return [row[n] for n in names]
    if isinstance(row, Row):
        state = row.__dict__  # not getattr: Row.__getattr__ raises for a missing _fields
        fields = state.get("_fields")
        if fields:
            return row_values(dict(zip(fields, state["_values"])), names, what)
        values = state["_values"]
    elif isinstance(row, (tuple, list)):
        values = row
    else:
        raise ConversionError(
            f"{what} must be a Row, tuple, list or dict, got {type(row).__name__}"
            f" {short_repr(row)}"
        )
    if len(values) != len(names):
        raise ConversionError(
            f"{what} has {len(values)} values but needs {len(names)}, for {names}:"
            f" {short_repr(row)}"
        )
    return list(values)

