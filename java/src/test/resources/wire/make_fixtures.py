"""Writes the Python-made wire fixtures the Java tier reads (wire/FlatBatchCodecTest,
runtime/PythonModelSessionTest, ModelConfigTest), with the values
tests/integration/test_wire.py uses, into the folder given (java/run-tests.sh runs it before
each run, so the fixtures always come from the Python side as it is):

    PYTHONPATH=. python java/src/test/resources/wire/make_fixtures.py OUT_DIR
"""
import json
import os
import sys

from pyflink_ml_predict.runtime import protocol
from pyflink_ml_predict.runtime.flat import FlatWriter

HERE = sys.argv[1]
os.makedirs(HERE, exist_ok=True)
KINDS = "?bhiqfdssy"  # BOOLEAN ... DOUBLE, CHAR(3), STRING, BYTES

rows = FlatWriter("is").encode([(1, "a"), (3, None)])
result = protocol.result([1, -1, 1], protocol.FLAT, rows, ["ValueError: bad row"], retries=2,
                         metrics=protocol.metrics_chunk({"new": [], "values": [[0, 5]]}),
                         version=protocol.text_chunk("12"))
values = [(True, -128, 32767, -2**31, 2**63 - 1, 1.5, -0.0, "abc", "\u00fc\U0001F600",
           b"\x00\xff"),
          (None,) * len(KINDS),
          (False, 127, -32768, 2**31 - 1, -2**63, -2.5, 1e300, "", "", b"")]
with open(os.path.join(HERE, "python_result.bin"), "wb") as f:
    f.write(result)
with open(os.path.join(HERE, "python_flat_batch.bin"), "wb") as f:
    f.write(FlatWriter(KINDS).encode(values))

# The type JSON Python writes (FlinkType.to_json) for test_wire.py's TYPES, one "SQL<TAB>JSON"
# line each: ModelConfigTest checks that ModelConfig.typeToJson writes the same.
from pyflink_ml_predict import FlinkType  # noqa: E402

TYPES = ["BOOLEAN", "TINYINT", "SMALLINT", "INT NOT NULL", "BIGINT", "FLOAT", "DOUBLE",
         "DECIMAL(38, 18)", "DECIMAL(5, 0)", "CHAR(3)", "VARCHAR(10)", "STRING", "BINARY(4)",
         "VARBINARY(8)", "BYTES", "DATE", "TIME(0)", "TIME(3)", "TIMESTAMP(0)", "TIMESTAMP(3)",
         "TIMESTAMP(6)", "TIMESTAMP(9)", "TIMESTAMP_LTZ(3)", "TIMESTAMP_LTZ(9) NOT NULL",
         "ARRAY<INT NOT NULL>", "ARRAY<BINARY(2)>", "MAP<STRING, DOUBLE>",
         "MAP<INT, ARRAY<TIMESTAMP(9)>>", "ROW<a INT, `b c` STRING NOT NULL>",
         "ARRAY<ROW<t TIMESTAMP_LTZ(6), m MAP<STRING, BYTES>>>"]
with open(os.path.join(HERE, "python_type_json.tsv"), "w", encoding="utf-8") as f:
    for sql in TYPES:
        f.write(sql + "\t" + json.dumps(FlinkType.parse(sql).to_json(), sort_keys=True) + "\n")
