"""What the Python side writes onto the wire, for the tests of both sides: test_wire.py hands
it to a Java fixture program, and the Java tier (java/run-tests.sh, through
java/src/test/resources/wire/make_fixtures.py) decodes the same bytes with JUnit."""
import json

from pyflink_ml_predict import FlinkType
from pyflink_ml_predict.runtime import protocol
from pyflink_ml_predict.runtime.flat import FlatWriter

KINDS = "?bhiqfdssy"  # BOOLEAN ... DOUBLE, CHAR(3), STRING, BYTES

FLAT_VALUES = [(True, -128, 32767, -2**31, 2**63 - 1, 1.5, -0.0, "abc", "\u00fc\U0001F600",
                b"\x00\xff"),
               (None,) * len(KINDS),
               (False, 127, -32768, 2**31 - 1, -2**63, -2.5, 1e300, "", "", b"")]

# Every root, the parameters each can take, and nesting.
TYPES = ["BOOLEAN", "TINYINT", "SMALLINT", "INT NOT NULL", "BIGINT", "FLOAT", "DOUBLE",
         "DECIMAL(38, 18)", "DECIMAL(5, 0)", "CHAR(3)", "VARCHAR(10)", "STRING", "BINARY(4)",
         "VARBINARY(8)", "BYTES", "DATE", "TIME(0)", "TIME(3)", "TIMESTAMP(0)", "TIMESTAMP(3)",
         "TIMESTAMP(6)", "TIMESTAMP(9)", "TIMESTAMP_LTZ(3)", "TIMESTAMP_LTZ(9) NOT NULL",
         "ARRAY<INT NOT NULL>", "ARRAY<BINARY(2)>", "MAP<STRING, DOUBLE>",
         "MAP<INT, ARRAY<TIMESTAMP(9)>>", "ROW<a INT, `b c` STRING NOT NULL>",
         "ARRAY<ROW<t TIMESTAMP_LTZ(6), m MAP<STRING, BYTES>>>"]


def python_result() -> bytes:
    """A RESULT message: counts, flat rows, an error, retries, a metric update, a version."""
    rows = FlatWriter("is").encode([(1, "a"), (3, None)])
    return protocol.result([1, -1, 1], protocol.FLAT, rows, ["ValueError: bad row"], retries=2,
                           metrics=protocol.metrics_chunk({"new": [], "values": [[0, 5]]}),
                           version=protocol.text_chunk("12"))


def python_flat_batch() -> bytes:
    return FlatWriter(KINDS).encode(FLAT_VALUES)


def type_json_lines():
    """One "SQL<TAB>JSON" line per type: the type JSON Python writes (FlinkType.to_json)."""
    return [sql + "\t" + json.dumps(FlinkType.parse(sql).to_json(), sort_keys=True)
            for sql in TYPES]
