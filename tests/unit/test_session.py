"""The Python runtime without a JVM: the session behind both transports, the worker process,
and the conversions. The Java side's messages are built here with the same protocol module."""
import json
import struct
import subprocess
import sys
from decimal import Decimal

import pyarrow as pa
import pytest
from pyflink.common import Row

from pyflink_ml_predict import PredictFunction
from pyflink_ml_predict.runtime import protocol
from pyflink_ml_predict.conversion import ConversionError, RowEncoder, row_values
from pyflink_ml_predict.sql_types import Column, FlinkType
from pyflink_ml_predict.runtime.session import ModelSession

from paths import MODELS

STRING = {"root": "VARCHAR", "nullable": True, "sql": "STRING"}
FLOAT = {"root": "FLOAT", "nullable": True, "sql": "FLOAT"}
INT = {"root": "INTEGER", "nullable": True, "sql": "INT"}


def config_json(predict_class, inputs, outputs, properties=None, directory=MODELS):
    return json.dumps({
        "model_name": "cat.db.m", "python_class": predict_class, "model_directory": directory,
        "properties": properties or {},
        "input_schema": [{"name": n, "type": t} for n, t in inputs],
        "output_schema": [{"name": n, "type": t} for n, t in outputs],
        "runtime": {},
    })


TEXT_SCHEMA = pa.schema([("text", pa.string())])
LABEL_SCORE = pa.schema([("label", pa.string()), ("score", pa.float32())])


def batch_message(table: dict) -> bytes:
    return protocol.encode_batch(pa.RecordBatch.from_pydict(table, schema=TEXT_SCHEMA))


def open_session(predict_class, **kw):
    session = ModelSession()
    init = protocol.encode_init(
        config_json(predict_class, [("text", STRING)], [("label", STRING), ("score", FLOAT)],
                    **kw), "1/2", TEXT_SCHEMA, LABEL_SCORE)
    return session, session.handle(init)


def decode(response: bytes):
    assert response[0] == protocol.RESULT, response[1:].decode()
    answer = protocol.parse_result(response)
    assert answer.encoding == protocol.ARROW  # no flat kinds were offered at INIT
    return answer.counts, protocol.read_arrow_rows(answer.rows, LABEL_SCORE).to_pylist()


def test_session_loads_opens_and_predicts_with_properties():
    session, ready = open_session("basic.Upper", properties={"suffix": "?"})
    assert ready == protocol.ready(flat_input=False, vectorized=False)
    counts, rows = decode(session.handle(batch_message({"text": ["x", "yz"]})))
    assert counts == [1, 1]
    assert rows == [{"label": "X?", "score": 1.0}, {"label": "YZ?", "score": 2.0}]
    session.close()


def test_a_failing_close_is_printed_with_its_traceback_not_raised(capsys):
    session, _ = open_session("failing.FailsToClose")
    session.close()  # shutting down: nothing may escape
    assert "RuntimeError: close went wrong" in capsys.readouterr().err
    assert session.function is None


def test_session_reports_user_errors_with_row_and_traceback():
    session, _ = open_session("failing.RaisesOnBad")
    response = session.handle(batch_message({"text": ["ok", "bad"]}))
    assert response[0] == protocol.ERROR
    text = response[1:].decode()
    assert "input row Row(text='bad')" in text and "Python traceback" in text


def test_session_reports_a_missing_directory():
    session, response = open_session("basic.Upper", directory="/no/such/dir")
    assert response[0] == protocol.ERROR and "'/no/such/dir' does not exist" in response[1:].decode()


def test_properties_keep_inner_dots_and_config_is_required_before_open():
    function = PredictFunction()
    with pytest.raises(RuntimeError, match="model config not set"):
        function.open(None)
    function.set_model_config(config_json("x.Y", [("text", STRING)], [("n", INT)],
                                          properties={"a.b.c": "1", "k": "v"}))
    assert function.properties == {"a.b.c": "1", "k": "v"}
    assert [c.name for c in function.input_schema] == ["text"]
    assert str(function.output_schema[0].type) == "INT"
    assert function.model_directory == MODELS


def test_eval_lets_the_class_run_as_a_plain_udtf(monkeypatch):
    monkeypatch.syspath_prepend(MODELS)
    from basic import Upper

    function = Upper()
    function.set_model_config(config_json("basic.Upper", [("text", STRING)],
                                          [("label", STRING), ("score", FLOAT)],
                                          properties={"suffix": "!"}))
    function.open(None)
    assert list(function.eval("ab")) == [Row("AB!", 2.0)]


def test_output_rows_by_position_by_name_and_errors():
    names = ["label", "score"]
    assert list(row_values(("a", 1.0), names)) == ["a", 1.0]
    assert row_values(Row(score=1.0, label="a"), names) == ["a", 1.0]
    assert row_values({"score": 1.0, "label": "a"}, names) == ["a", 1.0]
    with pytest.raises(ConversionError, match="has 1 values but needs 2"):
        row_values(["a"], names)
    with pytest.raises(ConversionError, match="missing \\['score'\\]"):
        row_values({"label": "a"}, names)


def test_decimals_are_rounded_to_the_column_scale_and_not_null_is_enforced():
    decimal_type = FlinkType("DECIMAL", True, "DECIMAL(5, 2)", precision=5, scale=2)
    encoder = RowEncoder([Column("d", decimal_type)], pa.schema([("d", pa.decimal128(5, 2))]))
    batch = encoder.encode([[Decimal("1.005")], [2.5], [None]], lambda i: f"row {i}")
    assert batch.column(0).to_pylist() == [
        Decimal("1.01"), Decimal("2.50"), None]
    strict = FlinkType("INTEGER", False, "INT NOT NULL")
    encoder = RowEncoder([Column("n", strict)], pa.schema([("n", pa.int32())]))
    with pytest.raises(ConversionError, match="'n' is INT NOT NULL but got None for row 1"):
        encoder.encode([[1], [None]], lambda i: f"row {i}")


def test_worker_process_speaks_the_protocol_despite_user_prints_and_exits_on_eof():
    worker = subprocess.Popen([sys.executable, "-m", "pyflink_ml_predict.runtime.worker"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)

    def call(message):
        worker.stdin.write(struct.pack(">i", len(message)) + message)
        worker.stdin.flush()
        (length,) = struct.unpack(">i", worker.stdout.read(4))
        return worker.stdout.read(length)

    init = protocol.encode_init(
        config_json("basic.Upper", [("text", STRING)], [("label", STRING), ("score", FLOAT)]),
        "0/1", TEXT_SCHEMA, LABEL_SCORE)
    assert call(init) == protocol.ready(flat_input=False, vectorized=False)
    counts, rows = decode(call(batch_message({"text": ["hi"]})))
    assert rows == [{"label": "HI", "score": 2.0}]
    worker.stdin.close()
    assert worker.wait(timeout=10) == 0
    assert b"this print must not corrupt" in worker.stderr.read()  # user print went to stderr


EMBEDDED_STREAMS = r"""
import os, sys
from pyflink_ml_predict.runtime import embedded_streams
fd = embedded_streams.claim_pipe()
assert embedded_streams.claim_pipe() == -1  # one reader only
reader = os.open(f"/dev/fd/{fd}", os.O_RDONLY)  # as the JVM opens its own descriptor
embedded_streams.install()
print("NUL \x00, surrogate \ud800")
print("to stderr", file=sys.stderr)
sys.stdout.buffer.write(b"raw \xff\n")
sys.stdout.flush()
os.write(sys.stdout.fileno(), b"fd\n")
print(sys.stdout.isatty(), sys.stdout.encoding, sys.__stderr__ is sys.stdout)
os.write(2, os.read(reader, 1 << 16))  # what the JVM's pump would log
"""


def test_thread_mode_streams_take_any_text_and_bytes_and_say_they_are_no_tty():
    done = subprocess.run([sys.executable, "-c", EMBEDDED_STREAMS], capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    assert done.stderr == (b"NUL \x00, surrogate \\ud800\nto stderr\nraw \xff\nfd\n"
                           b"False utf-8 True\n")
