"""Flink SQL types in Python: parsed from the forms users write, described as the provider's
JSON, mapped to PyFlink DataTypes and to the Arrow types Flink uses (tests/integration/test_wire.py
checks the JSON and the Arrow mapping against the Java side's own)."""
import pyarrow as pa
import pytest
from pyflink.table import DataTypes

from pyflink_ml_predict import Column, FlinkType, parse_columns
from pyflink_ml_predict.sql_types import arrow_schema, arrow_type

SQL_FORMS = {
    "INT": "INT", "integer not null": "INT NOT NULL", "STRING": "VARCHAR(2147483647)",
    "VARCHAR": "VARCHAR(2147483647)", "CHAR": "CHAR(1)", "BYTES": "VARBINARY(2147483647)",
    "BINARY": "BINARY(1)", "BINARY(4)": "BINARY(4)", "DEC(5,2)": "DECIMAL(5, 2)",
    "DECIMAL": "DECIMAL(10, 0)", "TIME": "TIME(0)", "TIMESTAMP": "TIMESTAMP(6)",
    "TIMESTAMP_LTZ(3)": "TIMESTAMP(3) WITH LOCAL TIME ZONE",
    "TIMESTAMP(9) WITH LOCAL TIME ZONE": "TIMESTAMP(9) WITH LOCAL TIME ZONE",
    "TIMESTAMP(3) WITHOUT TIME ZONE": "TIMESTAMP(3)",
    "ARRAY<ROW<a INT, `b c` STRING NOT NULL>> NOT NULL":
        "ARRAY<ROW<`a` INT, `b c` VARCHAR(2147483647) NOT NULL>> NOT NULL",
    "MAP<STRING, ARRAY<DOUBLE>>": "MAP<VARCHAR(2147483647), ARRAY<DOUBLE>>",
}


@pytest.mark.parametrize("text", sorted(SQL_FORMS))
def test_sql_text_parses_to_flinks_serializable_form_and_back(text):
    parsed = FlinkType.parse(text)
    assert parsed.sql == SQL_FORMS[text]
    assert FlinkType.parse(parsed.sql) == parsed            # the canonical form parses again
    assert FlinkType.from_json(parsed.to_json()) == parsed  # and survives the JSON


@pytest.mark.parametrize("bad,message", [
    ("INTT", "Unknown or unsupported type 'INTT'"), ("ARRAY<INT", "ends too early"),
    ("DECIMAL(10, 2) NOT", "ends too early"), ("INT INT", "Unexpected 'INT'")])
def test_bad_type_text_is_refused_with_the_text(bad, message):
    with pytest.raises(ValueError, match=message):
        FlinkType.parse(bad)


def test_columns_come_from_sql_text_mappings_pairs_and_datatypes_alike():
    expected = [Column("text", FlinkType.parse("STRING")), Column("score", FlinkType.parse("FLOAT"))]
    assert parse_columns("text STRING, score FLOAT") == expected
    assert parse_columns({"text": "STRING", "score": "FLOAT"}) == expected
    assert parse_columns([("text", DataTypes.STRING()), ("score", DataTypes.FLOAT())]) == expected
    assert parse_columns(expected) == expected


@pytest.mark.parametrize("text", ["BOOLEAN NOT NULL", "DECIMAL(38, 18)", "TIME(3)",
                                  "TIMESTAMP(9)", "TIMESTAMP_LTZ(6)", "DATE", "BYTES",
                                  "ARRAY<ROW<a INT, b MAP<STRING, BIGINT>>>"])
def test_pyflink_datatypes_round_trip(text):
    flink_type = FlinkType.parse(text)
    assert FlinkType.from_data_type(flink_type.to_data_type()) == flink_type


def test_arrow_types_are_flinks_own_mapping():
    assert arrow_type(FlinkType.parse("BINARY(4)")) == pa.binary(4)  # fixed size, as in a job
    assert arrow_type(FlinkType.parse("BYTES")) == pa.binary()
    assert arrow_type(FlinkType.parse("TIME(0)")) == pa.time32("s")
    assert arrow_type(FlinkType.parse("TIME(9)")) == pa.time64("ns")
    assert arrow_type(FlinkType.parse("TIMESTAMP_LTZ(3)")) == pa.timestamp("ms")
    schema = arrow_schema(parse_columns("v ARRAY<INT NOT NULL>, m MAP<STRING, DOUBLE>"))
    assert schema.field("v").type == pa.list_(pa.field("element", pa.int32(), False))
    assert schema.field("m").type == pa.map_(pa.string(), pa.field("value", pa.float64()))
