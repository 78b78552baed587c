"""Flink SQL types to and from PyFlink's ``DataType`` (imported only when asked for)."""
from .flink_type import FlinkType

__all__ = ["data_type_sql", "to_data_type"]


def to_data_type(flink_type: FlinkType):
    """The PyFlink ``DataType`` for a Flink SQL type."""
    from pyflink.table import DataTypes as T

    simple = {
        "BOOLEAN": T.BOOLEAN, "TINYINT": T.TINYINT, "SMALLINT": T.SMALLINT,
        "INTEGER": T.INT, "BIGINT": T.BIGINT, "FLOAT": T.FLOAT, "DOUBLE": T.DOUBLE,
        "DATE": T.DATE, "VARCHAR": T.STRING, "CHAR": T.STRING,
        "VARBINARY": T.BYTES, "BINARY": T.BYTES,
    }
    t, root = flink_type, flink_type.root
    if root in simple:
        result = simple[root]()
    elif root == "DECIMAL":
        result = T.DECIMAL(t.precision, t.scale)
    elif root == "TIME_WITHOUT_TIME_ZONE":
        result = T.TIME(t.precision)
    elif root == "TIMESTAMP_WITHOUT_TIME_ZONE":
        result = T.TIMESTAMP(t.precision)
    elif root == "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
        result = T.TIMESTAMP_LTZ(t.precision)
    elif root == "ARRAY":
        result = T.ARRAY(to_data_type(t.element))
    elif root == "MAP":
        result = T.MAP(to_data_type(t.key), to_data_type(t.value))
    elif root == "ROW":
        result = T.ROW([T.FIELD(f.name, to_data_type(f.type)) for f in t.fields])
    else:
        raise TypeError(f"Flink type {t.sql} has no PyFlink DataType")
    return result if t.nullable else result.not_null()


def data_type_sql(data_type) -> str:
    """SQL text of a PyFlink DataType (its repr is not SQL)."""
    from pyflink.table import types as t

    suffix = "" if data_type._nullable else " NOT NULL"
    if isinstance(data_type, t.ArrayType):
        return f"ARRAY<{data_type_sql(data_type.element_type)}>{suffix}"
    if isinstance(data_type, t.MapType):
        return (f"MAP<{data_type_sql(data_type.key_type)},"
                f" {data_type_sql(data_type.value_type)}>{suffix}")
    if isinstance(data_type, t.RowType):
        inner = ", ".join(f"`{f.name}` {data_type_sql(f.data_type)}" for f in data_type.fields)
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
