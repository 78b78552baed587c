"""A Flink SQL type and a model column in Python, and their form in the provider's JSON."""
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping

__all__ = ["Column", "FlinkType"]

# Roots whose JSON carries a precision, as the provider writes them.
_WITH_PRECISION = frozenset({"DECIMAL", "TIME_WITHOUT_TIME_ZONE", "TIMESTAMP_WITHOUT_TIME_ZONE",
                             "TIMESTAMP_WITH_LOCAL_TIME_ZONE"})
# The roots with a length, and Flink's default for each (SQL text or JSON without one).
DEFAULT_LENGTH = {"CHAR": 1, "BINARY": 1, "VARCHAR": 2147483647, "VARBINARY": 2147483647}


@dataclass(frozen=True)
class FlinkType:
    """A Flink SQL type (``root`` is Flink's ``LogicalTypeRoot`` name; ``sql`` is Flink's
    ``asSerializableString``)."""

    root: str
    nullable: bool = True
    sql: str = ""
    precision: int = 0
    scale: int = 0
    length: int = 0
    element: "FlinkType" = None
    key: "FlinkType" = None
    value: "FlinkType" = None
    fields: List["Column"] = field(default_factory=list)

    @staticmethod
    def from_json(node: Mapping[str, Any]) -> "FlinkType":
        return FlinkType(
            root=node["root"],
            nullable=node.get("nullable", True),
            sql=node.get("sql", node["root"]),
            precision=node.get("precision", 0),
            scale=node.get("scale", 0),
            length=node.get("length", DEFAULT_LENGTH.get(node["root"], 0)),
            element=FlinkType.from_json(node["element"]) if "element" in node else None,
            key=FlinkType.from_json(node["key"]) if "key" in node else None,
            value=FlinkType.from_json(node["value"]) if "value" in node else None,
            fields=[Column.from_json(f) for f in node.get("fields", [])],
        )

    def to_json(self) -> Dict[str, Any]:
        """The provider's JSON for this type (``tests/integration/test_wire.py`` checks that
        both sides agree)."""
        node: Dict[str, Any] = {"root": self.root, "nullable": self.nullable, "sql": self.sql}
        if self.root in _WITH_PRECISION:
            node["precision"] = self.precision
        if self.root == "DECIMAL":
            node["scale"] = self.scale
        if self.root in DEFAULT_LENGTH:
            node["length"] = self.length
        if self.element is not None:
            node["element"] = self.element.to_json()
        if self.key is not None:
            node["key"] = self.key.to_json()
            node["value"] = self.value.to_json()
        if self.root == "ROW":
            node["fields"] = [{"name": f.name, "type": f.type.to_json()} for f in self.fields]
        return node

    # parse, from_data_type and to_data_type hand over to sql_parser and data_types, which build
    # on this module (hence the imports inside them).

    @staticmethod
    def parse(text: str) -> "FlinkType":
        """Parses a Flink SQL type such as ``DECIMAL(10, 2)``, ``ARRAY<ROW<a INT>> NOT NULL``."""
        from .sql_parser import parse_type

        return parse_type(text)

    @staticmethod
    def from_data_type(data_type) -> "FlinkType":
        """From a PyFlink ``DataType`` (``pyflink.table.DataTypes``)."""
        from .data_types import data_type_sql

        return FlinkType.parse(data_type_sql(data_type))

    def to_data_type(self):
        """The PyFlink ``DataType`` for this type."""
        from .data_types import to_data_type

        return to_data_type(self)

    def __str__(self) -> str:
        return self.sql


@dataclass(frozen=True)
class Column:
    """One INPUT or OUTPUT column of the model."""

    name: str
    type: FlinkType

    @staticmethod
    def from_json(node: Mapping[str, Any]) -> "Column":
        return Column(node["name"], FlinkType.from_json(node["type"]))

    def __str__(self) -> str:
        return f"{self.name} {self.type}"

