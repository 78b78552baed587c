"""Model results (and, without Flink, input values) to Arrow arrays of their Flink types.

Values pyarrow would change silently (3.5 for an INT, 'abc' for an ARRAY) or that break a
nested NOT NULL are refused with the column, the row and the value named.
"""
import datetime
import decimal
import math
import numbers
from typing import Any, Callable, List, Optional, Sequence

import pyarrow as pa

from ..sql_types import Column, FlinkType
from .errors import ConversionError, short_repr
from .output_rows import row_values

__all__ = ["RowEncoder", "to_arrow_fix"]

_UTC = datetime.timezone.utc
# DECIMAL(38) values have up to 38 digits: Python's default context (28) would refuse them.
_DECIMAL_CONTEXT = decimal.Context(prec=80)
_INTEGER_ROOTS = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT"})
Fix = Optional[Callable[[Any], Any]]


def to_arrow_fix(t: FlinkType, pad_binary: bool = False) -> Fix:
    """A function that turns a user's value into one pyarrow accepts, or None if not needed.
    It raises for values pyarrow would otherwise change silently (3.5 for an INT, 'abc' for an
    ARRAY) or that break a nested NOT NULL. With ``pad_binary`` (INPUT values, without Flink)
    a BINARY(n) value shorter than n gets zero bytes, as the provider pads what Flink's
    sources hand over unpadded; a model's result must have the length itself."""
    if t.root in _INTEGER_ROOTS:
        return _whole
    if t.root == "BINARY" and pad_binary:
        def padded(v):
            if isinstance(v, (bytes, bytearray)) and len(v) < t.length:
                return bytes(v) + b"\x00" * (t.length - len(v))
            return v
        return padded
    if t.root == "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
        def to_utc(v):
            if isinstance(v, datetime.datetime) and v.tzinfo is not None:
                return v.astimezone(_UTC).replace(tzinfo=None)
            return v
        return to_utc
    if t.root == "DECIMAL":
        quantum = decimal.Decimal(1).scaleb(-t.scale)

        def to_decimal(v):
            if v is None or isinstance(v, bool):
                return v
            if isinstance(v, (int, float, str, decimal.Decimal)):
                try:
                    return decimal.Decimal(str(v)).quantize(
                        quantum, rounding=decimal.ROUND_HALF_UP, context=_DECIMAL_CONTEXT)
                except decimal.InvalidOperation:
                    raise ConversionError(f"{v!r} is not a finite decimal number") from None
            return v
        return to_decimal
    if t.root == "ARRAY":
        inner = _with_not_null(to_arrow_fix(t.element, pad_binary), t.element, "an ARRAY element")

        def to_list(v):
            if v is None:
                return None
            _not_scalar(v, "an ARRAY value must be a list or other sequence")
            return v if inner is None else [inner(e) for e in v]
        return to_list
    if t.root == "MAP":
        fix_key = to_arrow_fix(t.key, pad_binary) or (lambda k: k)
        fix_value = (_with_not_null(to_arrow_fix(t.value, pad_binary), t.value, "a MAP value")
                     or (lambda x: x))

        def to_pairs(v):
            if v is None:
                return None
            _not_scalar(v, "a MAP value must be a dict or a list of (key, value) pairs")
            items = v.items() if isinstance(v, dict) else v
            try:
                return [(fix_key(k), fix_value(x)) for k, x in items]
            except ConversionError:
                raise
            except (TypeError, ValueError) as e:
                raise ConversionError("a MAP value must be a dict or a list of (key, value)"
                                      f" pairs: {e}") from e
        return to_pairs
    if t.root == "ROW":
        names = [f.name for f in t.fields]
        fixes = [_with_not_null(to_arrow_fix(f.type, pad_binary), f.type, f"ROW field '{f.name}'")
                 or (lambda x: x) for f in t.fields]

        def to_struct(v):
            if v is None:
                return None
            values = row_values(v, names, what="a ROW value")
            return {name: fix(x) for name, fix, x in zip(names, fixes, values)}
        return to_struct
    return None


def _whole(v: Any) -> Any:
    """An integer column's value: pyarrow would truncate 3.5 to 3 without a word."""
    if v is None or type(v) is int or isinstance(v, numbers.Integral):
        return v
    if isinstance(v, decimal.Decimal):
        if not v.is_finite() or v != v.to_integral_value():
            raise ConversionError(f"{v!r} is not a whole number")
        return int(v)
    if isinstance(v, numbers.Real):
        if not math.isfinite(v) or v != math.floor(v):
            raise ConversionError(f"{v!r} is not a whole number")
        return int(v)
    return v  # pyarrow refuses the rest with its own message


def _not_scalar(v: Any, message: str) -> None:
    """pyarrow would take a string for a list of its characters, and a dict's keys as a list."""
    if isinstance(v, (str, bytes, numbers.Number)):
        raise ConversionError(f"{message}, got {type(v).__name__} {short_repr(v)}")


def _with_not_null(fix: Fix, t: FlinkType, what: str) -> Fix:
    """Adds the NOT NULL check of a nested type (top-level columns are checked apart)."""
    if t.nullable:
        return fix

    def checked(v):
        if v is None:
            raise ConversionError(f"{what} is {t} but got None")
        return v if fix is None else fix(v)
    return checked


class RowEncoder:
    """Turns rows (lists of values in column order) into an Arrow record batch: model results
    into OUTPUT columns, or, without Flink, input values into INPUT columns."""

    def __init__(self, columns: Sequence[Column], schema: pa.Schema, side: str = "output"):
        self.columns = list(columns)
        self.schema = schema
        self.side = side
        self.fixes = [to_arrow_fix(c.type, pad_binary=side == "input") for c in columns]
        self.integer = [c.type.root in _INTEGER_ROOTS for c in columns]

    def encode(self, rows: List[List[Any]], row_origin: Callable[[int], str]) -> pa.RecordBatch:
        """``row_origin(i)`` describes output row i for messages (which input row made it)."""
        arrays = []
        for i, (column, fix, field) in enumerate(zip(self.columns, self.fixes, self.schema)):
            values = [row[i] for row in rows]
            # Integer columns almost always hold ints: check them all at once first.
            if fix is not None and not (
                    self.integer[i] and all(type(v) is int or v is None for v in values)):
                values = self._fixed(column, fix, values, row_origin)
            arrays.append(self._array(column, field, values, row_origin, self.side))
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

    def _fixed(self, column: Column, fix: Callable[[Any], Any], values: List[Any],
               row_origin) -> List[Any]:
        try:
            return [fix(v) for v in values]
        except Exception:
            for index, value in enumerate(values):
                try:
                    fix(value)
                except Exception as error:
                    raise ConversionError(
                        f"{self.side} column '{column.name}' ({column.type}) cannot hold the"
                        f" value {short_repr(value)} of type {type(value).__name__} returned for"
                        f" {row_origin(index)}: {error}"
                    ) from error
            raise

    @staticmethod
    def _array(column: Column, field: pa.Field, values: List[Any], row_origin,
               side: str) -> pa.Array:
        if not column.type.nullable and any(v is None for v in values):
            index = next(i for i, v in enumerate(values) if v is None)
            raise ConversionError(
                f"{side} column '{column.name}' is {column.type} but got None for"
                f" {row_origin(index)}"
            )
        try:
            return pa.array(values, type=field.type)
        except (pa.ArrowException, TypeError, ValueError, OverflowError) as whole_error:
            for index, value in enumerate(values):
                try:
                    pa.array([value], type=field.type)
                except (pa.ArrowException, TypeError, ValueError, OverflowError) as error:
                    raise ConversionError(
                        f"{side} column '{column.name}' ({column.type}) cannot hold the value"
                        f" {short_repr(value)} of type {type(value).__name__} returned for"
                        f" {row_origin(index)}: {error}"
                    ) from error
            raise ConversionError(
                f"{side} column '{column.name}' ({column.type}): {whole_error}"
            ) from whole_error
