"""Flink SQL types as Arrow types, exactly as Flink's ``ArrowUtils`` maps them, so a model run
without Flink sees the same batches as inside a job (``tests/integration/test_wire.py``
compares the two)."""
from typing import Sequence

import pyarrow as pa

from .flink_type import Column, FlinkType

__all__ = ["arrow_schema", "arrow_type"]

_SIMPLE = {
    "BOOLEAN": pa.bool_(), "TINYINT": pa.int8(), "SMALLINT": pa.int16(), "INTEGER": pa.int32(),
    "BIGINT": pa.int64(), "FLOAT": pa.float32(), "DOUBLE": pa.float64(), "CHAR": pa.string(),
    "VARCHAR": pa.string(), "VARBINARY": pa.binary(), "DATE": pa.date32(),
}


def _unit(precision: int) -> str:
    return "s" if precision == 0 else "ms" if precision <= 3 else "us" if precision <= 6 else "ns"


def arrow_type(t: FlinkType) -> pa.DataType:
    """The Arrow type Flink's ArrowUtils uses for this type."""
    root = t.root
    if root in _SIMPLE:
        return _SIMPLE[root]
    if root == "BINARY":
        return pa.binary(t.length)
    if root == "DECIMAL":
        return pa.decimal128(t.precision, t.scale)
    if root == "TIME_WITHOUT_TIME_ZONE":
        unit = _unit(t.precision)
        return pa.time32(unit) if unit in ("s", "ms") else pa.time64(unit)
    if root in ("TIMESTAMP_WITHOUT_TIME_ZONE", "TIMESTAMP_WITH_LOCAL_TIME_ZONE"):
        return pa.timestamp(_unit(t.precision))
    if root == "ARRAY":
        return pa.list_(pa.field("element", arrow_type(t.element), t.element.nullable))
    if root == "MAP":
        return pa.map_(arrow_type(t.key), pa.field("value", arrow_type(t.value), t.value.nullable))
    if root == "ROW":
        return pa.struct([pa.field(f.name, arrow_type(f.type), f.type.nullable) for f in t.fields])
    raise TypeError(f"Flink type {t.sql} cannot be passed to Python")


def arrow_schema(columns: Sequence[Column]) -> pa.Schema:
    """The Arrow schema Flink uses for these columns."""
    return pa.schema([pa.field(c.name, arrow_type(c.type)) for c in columns])
