"""Flink SQL types in Python: the type and column model with its JSON (``flink_type``), parsed
from SQL text (``sql_parser``) or PyFlink DataTypes (``data_types``), the column forms users
write (``columns``), and the Arrow mapping Flink uses (``arrow``). The lowest layer: it imports
nothing else from this package."""
from .arrow import arrow_schema, arrow_type
from .columns import ColumnsSpec, parse_columns
from .flink_type import Column, FlinkType

__all__ = ["Column", "ColumnsSpec", "FlinkType", "arrow_schema", "arrow_type", "parse_columns"]
