"""Flink SQL type text (``DECIMAL(10, 2)``, ``ARRAY<ROW<a INT>> NOT NULL``) to ``FlinkType``,
with ``sql`` as Flink's ``asSerializableString`` writes it."""
import re
from typing import Any, Dict, List

from .flink_type import DEFAULT_LENGTH, Column, FlinkType

__all__ = ["parse_column_list", "parse_type"]

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


def parse_type(text: str) -> FlinkType:
    parser = _Parser(text)
    result = parser.type()
    parser.expect_end()
    return result


def parse_column_list(text: str) -> List[Column]:
    """Columns from ``"text STRING, score FLOAT"``."""
    parser = _Parser(text)
    columns = parser.fields(end=None)
    parser.expect_end()
    return columns



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

    def _time_zone_suffix(self) -> bool:
        """Takes ``WITH LOCAL TIME ZONE`` (True) or ``WITHOUT TIME ZONE`` after TIMESTAMP(p)."""
        words = [t.upper() for t in self.tokens[self.position:self.position + 4]]
        if words == ["WITH", "LOCAL", "TIME", "ZONE"]:
            self.position += 4
            return True
        if words[:3] == ["WITHOUT", "TIME", "ZONE"]:
            self.position += 3
        return False

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
                if root == "TIMESTAMP_WITHOUT_TIME_ZONE" and self._time_zone_suffix():
                    root = "TIMESTAMP_WITH_LOCAL_TIME_ZONE"
                name = "TIME" if root == "TIME_WITHOUT_TIME_ZONE" else "TIMESTAMP"
                sql = f"{name}({kwargs['precision']})"
                if root == "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
                    sql += " WITH LOCAL TIME ZONE"
            elif root in DEFAULT_LENGTH:
                kwargs["length"] = numbers[0] if numbers else DEFAULT_LENGTH[root]
                sql = f"{root}({kwargs['length']})"
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
