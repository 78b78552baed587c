"""Flink SQL types in Python: parsed from SQL text or PyFlink DataTypes, described as the
provider's JSON, and mapped to Arrow exactly as Flink's ``ArrowUtils`` maps them (so a model
run without Flink sees the same values as inside a job)."""
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple, Union

import pyarrow as pa

__all__ = ["Column", "FlinkType", "arrow_schema", "parse_columns"]

# SQL name -> Flink LogicalTypeRoot
_ROOTS = {
    "BOOLEAN": "BOOLEAN", "TINYINT": "TINYINT", "SMALLINT": "SMALLINT", "INT": "INTEGER",
    "INTEGER": "INTEGER", "BIGINT": "BIGINT", "FLOAT": "FLOAT", "DOUBLE": "DOUBLE",
    "DECIMAL": "DECIMAL", "DEC": "DECIMAL", "NUMERIC": "DECIMAL", "CHAR": "CHAR",
    "VARCHAR": "VARCHAR", "STRING": "VARCHAR", "BINARY": "BINARY", "VARBINARY": "VARBINARY",
    "BYTES": "VARBINARY", "DATE": "DATE", "TIME": "TIME_WITHOUT_TIME_ZONE",
    "TIMESTAMP": "TIMESTAMP_WITHOUT_TIME_ZONE",
    "TIMESTAMP_LTZ": "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "ARRAY": "ARRAY", "MAP": "MAP",
    "ROW": "ROW",
}
_DEFAULT_PRECISION = {"TIME_WITHOUT_TIME_ZONE": 0, "TIMESTAMP_WITHOUT_TIME_ZONE": 6,
                      "TIMESTAMP_WITH_LOCAL_TIME_ZONE": 6, "DECIMAL": 10}
_MAX = 2147483647


@dataclass(frozen=True)
class FlinkType:
    """A Flink SQL type (``root`` is Flink's ``LogicalTypeRoot`` name)."""

    root: str
    nullable: bool = True
    sql: str = ""
    precision: int = 0
    scale: int = 0
    element: "FlinkType" = None
    key: "FlinkType" = None
    value: "FlinkType" = None
    fields: List["Column"] = field(default_factory=list)

    # -- from and to the provider's JSON ------------------------------------------------------

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

    def to_json(self) -> Dict[str, Any]:
        node: Dict[str, Any] = {"root": self.root, "nullable": self.nullable, "sql": self.sql}
        if self.root in ("DECIMAL", "TIME_WITHOUT_TIME_ZONE", "TIMESTAMP_WITHOUT_TIME_ZONE",
                         "TIMESTAMP_WITH_LOCAL_TIME_ZONE"):
            node["precision"] = self.precision
        if self.root == "DECIMAL":
            node["scale"] = self.scale
        if self.element is not None:
            node["element"] = self.element.to_json()
        if self.key is not None:
            node["key"] = self.key.to_json()
            node["value"] = self.value.to_json()
        if self.root == "ROW":
            node["fields"] = [{"name": f.name, "type": f.type.to_json()} for f in self.fields]
        return node

    # -- from SQL text and from PyFlink ------------------------------------------------------

    @staticmethod
    def parse(text: str) -> "FlinkType":
        """Parses a Flink SQL type such as ``DECIMAL(10, 2)``, ``ARRAY<ROW<a INT>> NOT NULL``."""
        parser = _Parser(text)
        result = parser.type()
        parser.expect_end()
        return result

    @staticmethod
    def from_data_type(data_type) -> "FlinkType":
        """From a PyFlink ``DataType`` (``pyflink.table.DataTypes``)."""
        return FlinkType.parse(_data_type_sql(data_type))

    def to_data_type(self):
        """The PyFlink ``DataType`` for this type."""
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

    # -- Arrow ------------------------------------------------------------------------------

    def arrow_type(self) -> pa.DataType:
        """The Arrow type Flink's ArrowUtils uses for this type."""
        root = self.root
        simple = {
            "BOOLEAN": pa.bool_(), "TINYINT": pa.int8(), "SMALLINT": pa.int16(),
            "INTEGER": pa.int32(), "BIGINT": pa.int64(), "FLOAT": pa.float32(),
            "DOUBLE": pa.float64(), "CHAR": pa.string(), "VARCHAR": pa.string(),
            "BINARY": pa.binary(), "VARBINARY": pa.binary(), "DATE": pa.date32(),
        }
        if root in simple:
            return simple[root]
        if root == "DECIMAL":
            return pa.decimal128(self.precision, self.scale)
        if root == "TIME_WITHOUT_TIME_ZONE":
            p = self.precision
            return (pa.time32("s") if p == 0 else pa.time32("ms") if p <= 3
                    else pa.time64("us") if p <= 6 else pa.time64("ns"))
        if root in ("TIMESTAMP_WITHOUT_TIME_ZONE", "TIMESTAMP_WITH_LOCAL_TIME_ZONE"):
            p = self.precision
            return pa.timestamp("s" if p == 0 else "ms" if p <= 3 else "us" if p <= 6 else "ns")
        if root == "ARRAY":
            return pa.list_(pa.field("element", self.element.arrow_type(),
                                     self.element.nullable))
        if root == "MAP":
            return pa.map_(self.key.arrow_type(),
                           pa.field("value", self.value.arrow_type(), self.value.nullable))
        if root == "ROW":
            return pa.struct([pa.field(f.name, f.type.arrow_type(), f.type.nullable)
                              for f in self.fields])
        raise TypeError(f"Flink type {self.sql} cannot be passed to Python")

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


def arrow_schema(columns: Sequence["Column"]) -> pa.Schema:
    """The Arrow schema Flink uses for these columns."""
    return pa.schema([pa.field(c.name, c.type.arrow_type()) for c in columns])


ColumnsSpec = Union[str, Mapping[str, Any], Iterable[Union[Tuple[str, Any], "Column"]]]


def parse_columns(spec: ColumnsSpec) -> List[Column]:
    """Columns from ``"text STRING, score FLOAT"``, ``{"text": "STRING"}``,
    ``[("text", DataTypes.STRING())]`` (types as SQL text or PyFlink DataTypes) or Columns."""
    if isinstance(spec, str):
        parser = _Parser(spec)
        columns = parser.fields(end=None)
        parser.expect_end()
        return columns
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


def _data_type_sql(data_type) -> str:
    """SQL text of a PyFlink DataType (its repr is not SQL)."""
    from pyflink.table import types as t

    suffix = "" if data_type._nullable else " NOT NULL"
    if isinstance(data_type, t.ArrayType):
        return f"ARRAY<{_data_type_sql(data_type.element_type)}>{suffix}"
    if isinstance(data_type, t.MapType):
        return (f"MAP<{_data_type_sql(data_type.key_type)},"
                f" {_data_type_sql(data_type.value_type)}>{suffix}")
    if isinstance(data_type, t.RowType):
        inner = ", ".join(f"`{f.name}` {_data_type_sql(f.data_type)}" for f in data_type.fields)
        return f"ROW<{inner}>{suffix}"
    names = {
        t.BooleanType: "BOOLEAN", t.TinyIntType: "TINYINT", t.SmallIntType: "SMALLINT",
        t.IntType: "INT", t.BigIntType: "BIGINT", t.FloatType: "FLOAT", t.DoubleType: "DOUBLE",
        t.DateType: "DATE",
    }
    for cls, name in names.items():
        if type(data_type) is cls:
            return name + suffix
    if isinstance(data_type, t.VarCharType):
        return f"VARCHAR({data_type.length}){suffix}"
    if isinstance(data_type, t.CharType):
        return f"CHAR({data_type.length}){suffix}"
    if isinstance(data_type, t.VarBinaryType):
        return f"VARBINARY({data_type.length}){suffix}"
    if isinstance(data_type, t.BinaryType):
        return f"BINARY({data_type.length}){suffix}"
    if isinstance(data_type, t.DecimalType):
        return f"DECIMAL({data_type.precision}, {data_type.scale}){suffix}"
    if isinstance(data_type, t.TimeType):
        return f"TIME({data_type.precision}){suffix}"
    if isinstance(data_type, t.LocalZonedTimestampType):
        return f"TIMESTAMP_LTZ({data_type.precision}){suffix}"
    if isinstance(data_type, t.TimestampType):
        return f"TIMESTAMP({data_type.precision}){suffix}"
    raise TypeError(f"PyFlink type {data_type!r} cannot be passed to a Python model")


class _Parser:
    """A small recursive-descent parser for Flink SQL type strings."""

    _TOKEN = re.compile(r"\s*(`[^`]*`|[A-Za-z_][A-Za-z_0-9]*|\d+|[<>(),])")

    def __init__(self, text: str):
        self.text = text
        self.tokens: List[str] = []
        position = 0
        while position < len(text):
            match = self._TOKEN.match(text, position)
            if not match:
                if text[position:].strip() == "":
                    break
                raise ValueError(f"Cannot parse type {text!r} at {text[position:]!r}")
            self.tokens.append(match.group(1))
            position = match.end()
        self.position = 0

    def _peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> str:
        token = self._peek()
        if token is None:
            raise ValueError(f"Type {self.text!r} ends too early")
        self.position += 1
        return token

    def _expect(self, token: str) -> None:
        actual = self._take()
        if actual != token:
            raise ValueError(f"Expected {token!r} in type {self.text!r}, found {actual!r}")

    def expect_end(self) -> None:
        if self._peek() is not None:
            raise ValueError(f"Unexpected {self._peek()!r} in type {self.text!r}")

    def _numbers(self) -> List[int]:
        if self._peek() != "(":
            return []
        self._take()
        numbers = [int(self._take())]
        while self._peek() == ",":
            self._take()
            numbers.append(int(self._take()))
        self._expect(")")
        return numbers

    def fields(self, end) -> List[Column]:
        columns = []
        while self._peek() not in (end, None):
            name = self._take().strip("`")
            columns.append(Column(name, self.type()))
            if self._peek() == ",":
                self._take()
        return columns

    def type(self) -> FlinkType:
        word = self._take().upper()
        if word not in _ROOTS:
            raise ValueError(f"Unknown or unsupported type {word!r} in {self.text!r}")
        root = _ROOTS[word]
        kwargs: Dict[str, Any] = {}
        if root in ("ARRAY", "MAP", "ROW"):
            self._expect("<")
            if root == "ARRAY":
                kwargs["element"] = self.type()
                sql = f"ARRAY<{kwargs['element'].sql}>"
            elif root == "MAP":
                kwargs["key"] = self.type()
                self._expect(",")
                kwargs["value"] = self.type()
                sql = f"MAP<{kwargs['key'].sql}, {kwargs['value'].sql}>"
            else:
                kwargs["fields"] = self.fields(end=">")
                sql = "ROW<" + ", ".join(f"`{f.name}` {f.type.sql}"
                                         for f in kwargs["fields"]) + ">"
            self._expect(">")
        else:
            numbers = self._numbers()
            if root == "DECIMAL":
                kwargs["precision"] = numbers[0] if numbers else 10
                kwargs["scale"] = numbers[1] if len(numbers) > 1 else 0
                sql = f"DECIMAL({kwargs['precision']}, {kwargs['scale']})"
            elif root in _DEFAULT_PRECISION:
                kwargs["precision"] = numbers[0] if numbers else _DEFAULT_PRECISION[root]
                sql = f"{word if word != 'TIMESTAMP_LTZ' else 'TIMESTAMP_LTZ'}({kwargs['precision']})"
            elif word == "STRING":
                sql = f"VARCHAR({_MAX})"
            elif word == "BYTES":
                sql = f"VARBINARY({_MAX})"
            elif root in ("CHAR", "VARCHAR", "BINARY", "VARBINARY"):
                length = numbers[0] if numbers else (1 if root in ("CHAR", "BINARY") else _MAX)
                sql = f"{root}({length})"
            else:
                sql = "INT" if root == "INTEGER" else root
        nullable = True
        if self._peek() and self._peek().upper() == "NOT":
            self._take()
            if self._take().upper() != "NULL":
                raise ValueError(f"Expected NOT NULL in type {self.text!r}")
            nullable = False
            sql += " NOT NULL"
        elif self._peek() and self._peek().upper() == "NULL":
            self._take()
        return FlinkType(root=root, nullable=nullable, sql=sql, **kwargs)
