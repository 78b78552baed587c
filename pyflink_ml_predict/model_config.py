"""The model configuration that the Java provider hands to ``PredictFunction.set_model_config``.

The JSON carries the class, the model directory, the ``properties.*`` options (prefix removed),
the INPUT/OUTPUT columns with structured Flink types, and the runtime settings.
"""
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping

__all__ = ["Column", "FlinkType", "ModelConfig"]


@dataclass(frozen=True)
class FlinkType:
    """A Flink SQL type, as the provider describes it (``root`` is Flink's ``LogicalTypeRoot``)."""

    root: str
    nullable: bool = True
    sql: str = ""
    precision: int = 0
    scale: int = 0
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
            element=FlinkType.from_json(node["element"]) if "element" in node else None,
            key=FlinkType.from_json(node["key"]) if "key" in node else None,
            value=FlinkType.from_json(node["value"]) if "value" in node else None,
            fields=[Column.from_json(f) for f in node.get("fields", [])],
        )

    def to_data_type(self):
        """The PyFlink ``DataType`` for this type (``pyflink.table.DataTypes``)."""
        from pyflink.table import DataTypes as T

        simple = {
            "BOOLEAN": T.BOOLEAN, "TINYINT": T.TINYINT, "SMALLINT": T.SMALLINT,
            "INTEGER": T.INT, "BIGINT": T.BIGINT, "FLOAT": T.FLOAT, "DOUBLE": T.DOUBLE,
            "DATE": T.DATE, "VARCHAR": T.STRING, "CHAR": T.STRING,
            "VARBINARY": T.BYTES, "BINARY": T.BYTES,
        }
        root = self.root
        if root in simple:
            result = simple[root]()
        elif root == "DECIMAL":
            result = T.DECIMAL(self.precision, self.scale)
        elif root == "TIME_WITHOUT_TIME_ZONE":
            result = T.TIME(self.precision)
        elif root == "TIMESTAMP_WITHOUT_TIME_ZONE":
            result = T.TIMESTAMP(self.precision)
        elif root == "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
            result = T.TIMESTAMP_LTZ(self.precision)
        elif root == "ARRAY":
            result = T.ARRAY(self.element.to_data_type())
        elif root == "MAP":
            result = T.MAP(self.key.to_data_type(), self.value.to_data_type())
        elif root == "ROW":
            result = T.ROW([T.FIELD(f.name, f.type.to_data_type()) for f in self.fields])
        else:
            raise TypeError(f"Flink type {self.sql} has no PyFlink DataType")
        return result if self.nullable else result.not_null()

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


@dataclass(frozen=True)
class ModelConfig:
    """The parsed model configuration."""

    model_name: str
    python_class: str
    model_directory: str
    properties: Dict[str, str]
    input_schema: List[Column]
    output_schema: List[Column]
    runtime: Dict[str, Any]

    @staticmethod
    def from_json(text: str) -> "ModelConfig":
        node = json.loads(text)
        return ModelConfig(
            model_name=node.get("model_name", "<unnamed>"),
            python_class=node["python_class"],
            model_directory=node["model_directory"],
            properties=dict(node.get("properties", {})),
            input_schema=[Column.from_json(c) for c in node["input_schema"]],
            output_schema=[Column.from_json(c) for c in node["output_schema"]],
            runtime=dict(node.get("runtime", {})),
        )

    def describe(self) -> str:
        """Names the model for messages; never shows property values (they may be secrets)."""
        return f"model '{self.model_name}' (class {self.python_class})"
