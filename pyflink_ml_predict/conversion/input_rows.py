"""Arrow batches of INPUT columns to the PyFlink rows ``predict`` receives.

``pyarrow``'s own conversion does most of the work; the few Flink types whose Python form
differs from Arrow's (ROW -> Row, MAP -> dict, TIMESTAMP_LTZ -> aware UTC datetime) get a
per-value fix-up, and only columns that contain such a type pay for it.
"""
import datetime
from typing import Any, Callable, List, Optional, Sequence

import pyarrow as pa
from pyflink.common import Row, RowKind

from ..sql_types import Column, FlinkType

__all__ = ["RowDecoder", "to_python_fix"]

_UTC = datetime.timezone.utc
_INSERT = RowKind.INSERT
Fix = Optional[Callable[[Any], Any]]


def _make_row(names: List[str], values: List[Any]) -> Row:
    row = Row(*values)
    row.set_field_names(names)
    return row


def to_python_fix(t: FlinkType) -> Fix:
    """A function that turns pyarrow's Python value into PyFlink's, or None if they agree."""
    if t.root == "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
        return lambda v: v if v is None else v.replace(tzinfo=_UTC)
    if t.root == "ARRAY":
        inner = to_python_fix(t.element)
        if inner is None:
            return None
        return lambda v: v if v is None else [inner(e) for e in v]
    if t.root == "MAP":
        fix_key = to_python_fix(t.key) or (lambda k: k)
        fix_value = to_python_fix(t.value) or (lambda x: x)
        return lambda v: v if v is None else {fix_key(k): fix_value(x) for k, x in v}
    if t.root == "ROW":
        names = [f.name for f in t.fields]
        fixes = [to_python_fix(f.type) or (lambda x: x) for f in t.fields]

        def to_row(v):
            if v is None:
                return None
            return _make_row(names, [fix(v[name]) for name, fix in zip(names, fixes)])

        return to_row
    return None


def _input_row_class(names: List[str]) -> type:
    """A Row subclass for one schema, for speed: ``row.name`` is a property instead of PyFlink's
    linear search in ``__getattr__`` (names that Row itself uses keep Row's lookup), and the
    state every row shares (field names, kind) lives on the class, so a row is built by setting
    its values alone, without Row's per-attribute ``__setattr__`` checks."""
    index = {name: i for i, name in enumerate(names)}

    def __getattr__(self, item):
        position = index.get(item)
        if position is None:
            return Row.__getattr__(self, item)
        return self._values[position]

    members = {"__getattr__": __getattr__, "__module__": Row.__module__, "_fields": names,
               "_from_dict": False, "_row_kind": _INSERT}
    for name, position in index.items():
        if name.isidentifier() and not name.startswith("_") and not hasattr(Row, name):
            members[name] = property(_field(position))
    return type("Row", (Row,), members)


def _field(position: int) -> Callable[[Row], Any]:
    return lambda row: row._values[position]


class RowDecoder:
    """Turns an Arrow record batch of INPUT columns into a list of PyFlink ``Row``."""

    def __init__(self, columns: Sequence[Column]):
        self.names = [c.name for c in columns]
        self.fixes = [to_python_fix(c.type) for c in columns]
        self.row_class = _input_row_class(self.names)

    def columns(self, batch: pa.RecordBatch) -> List[List[Any]]:
        result = []
        for i, fix in enumerate(self.fixes):
            values = batch.column(i).to_pylist()
            result.append(values if fix is None else [fix(v) for v in values])
        return result

    def decode(self, batch: pa.RecordBatch) -> List[Row]:
        return self.rows(self.columns(batch))

    def rows(self, columns: List[Sequence[Any]]) -> List[Row]:
        """Rows from columns of PyFlink values."""
        row_class, new = self.row_class, object.__new__
        rows = []
        append = rows.append
        for values in zip(*columns):
            row = new(row_class)
            row.__dict__["_values"] = list(values)
            append(row)
        return rows
