"""Model columns from any of the forms users write them in."""
from typing import Any, Iterable, List, Mapping, Tuple, Union

from .flink_type import Column, FlinkType
from .sql_parser import parse_column_list

__all__ = ["ColumnsSpec", "parse_columns"]

ColumnsSpec = Union[str, Mapping[str, Any], Iterable[Union[Tuple[str, Any], "Column"]]]


def parse_columns(spec: ColumnsSpec) -> List[Column]:
    """Columns from ``"text STRING, score FLOAT"``, ``{"text": "STRING"}``,
    ``[("text", DataTypes.STRING())]`` (types as SQL text or PyFlink DataTypes) or Columns."""
    if isinstance(spec, str):
        return parse_column_list(spec)
    pairs = spec.items() if isinstance(spec, Mapping) else spec
    columns = []
    for pair in pairs:
        if isinstance(pair, Column):
            columns.append(pair)
            continue
        name, type_ = pair
        flink_type = (type_ if isinstance(type_, FlinkType) else FlinkType.parse(type_)
                      if isinstance(type_, str) else FlinkType.from_data_type(type_))
        columns.append(Column(name, flink_type))
    return columns
