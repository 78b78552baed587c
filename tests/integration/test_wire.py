"""The wire between the JVM and Python, each side against bytes the other side wrote.

A small Java program (``tests/java/.../WireFixtures.java``, compiled here against the installed
provider jar) writes an INIT message and a flat batch as the provider does; Python reads them.
Python writes a RESULT and a flat batch as the runtime does; the Java program decodes them with
the provider's own classes and prints what it sees. No Flink job runs: this pins the layout of
``pyflink_ml_predict/runtime/protocol.py`` and ``flat.py`` on both sides. ``TypeFixtures.java``
prints the provider's type JSON and Arrow schemas, which Python writes too for models run
without Flink: each type must come out the same on both sides.
"""
import base64
import glob
import json
import math
import os
import shutil
import subprocess

import pyarrow as pa
import pytest

from paths import TESTS
from wire_fixtures import KINDS, TYPES, python_flat_batch, python_result
from pyflink_ml_predict import FlinkType, jar_path
from pyflink_ml_predict.runtime import protocol
from pyflink_ml_predict.runtime.flat import FlatReader
from pyflink_ml_predict.sql_types import arrow_type

JAVA_SOURCES = os.path.join(TESTS, "java")


@pytest.fixture(scope="module")
def java(tmp_path_factory):
    """Runs a fixture program (WireFixtures with a mode and a directory, or another main class
    with a path); returns its printed lines."""
    import pyflink

    if shutil.which("javac") is None:
        pytest.fail("javac is needed (the package's own build needs it too)")
    folder = os.path.dirname(pyflink.__file__)
    classpath = os.pathsep.join(
        [jar_path()] + glob.glob(os.path.join(folder, "lib", "*.jar"))
        + glob.glob(os.path.join(folder, "opt", "flink-python*.jar")))
    classes = str(tmp_path_factory.mktemp("classes"))
    sources = glob.glob(os.path.join(JAVA_SOURCES, "**", "*.java"), recursive=True)
    subprocess.run(["javac", "-nowarn", "-cp", classpath, "-d", classes, *sources], check=True)

    def run(mode, path, main="io.pyflinkml.predict.runtime.WireFixtures"):
        done = subprocess.run(
            ["java", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp",
             classes + os.pathsep + classpath, main, *([mode] if mode else []), str(path)],
            capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    return run


def test_python_reads_what_java_writes(java, tmp_path):
    lines = java("write", tmp_path)
    assert lines == [f"kinds {KINDS}"]
    rows = list(zip(*FlatReader(KINDS).columns((tmp_path / "java_flat_batch.bin").read_bytes())))
    assert rows[0] == (True, -128, 32767, -2**31, 2**63 - 1, 1.5, -0.0, "abc",
                       "h\u00e9llo \u4e16\u754c \U0001F600", b"\x00\x01\xff")
    assert math.copysign(1, rows[0][6]) == -1  # -0.0 kept its sign
    assert rows[1] == (None,) * len(KINDS)
    assert rows[2][:5] == (False, 0, -1, 7, -1) and math.isnan(rows[2][5])
    assert rows[2][6:] == (math.inf, "", "", b"")

    init = protocol.parse_init((tmp_path / "java_init.bin").read_bytes())
    assert (init.config_json, init.subtask) == ('{"model_name": "m"}', "1/2")
    assert (init.input_kinds, init.output_kinds) == (KINDS, None)
    assert init.input_schema.names == ["b", "t", "s", "i", "l", "f", "d", "c", "v", "y"]
    assert init.output_schema.names == ["n", "u"]


def test_java_reads_what_python_writes(java, tmp_path):
    (tmp_path / "python_result.bin").write_bytes(python_result())
    (tmp_path / "python_flat_batch.bin").write_bytes(python_flat_batch())
    assert java("read", tmp_path) == [
        "counts [1, -1, 1]",
        "errors [ValueError: bad row]",
        "retries 2",
        'metrics {"new":[],"values":[[0,5]]}',
        "version 12",
        "encoding 1",
        "row 1 | 'a'",
        "row 3 | NULL",
        "row true | -128 | 32767 | -2147483648 | 9223372036854775807 | 1.5 | -0.0 | 'abc'"
        " | '\u00fc\U0001F600' | 0x00ff",
        "row " + " | ".join(["NULL"] * len(KINDS)),
        "row false | 127 | -32768 | 2147483647 | -9223372036854775808 | -2.5 | 1.0E300 | ''"
        " | '' | 0x",
    ]


def test_type_json_and_arrow_types_are_the_same_on_both_sides(java, tmp_path):
    listing = tmp_path / "types.txt"
    listing.write_text("\n".join(TYPES))
    lines = java(None, listing, main="io.pyflinkml.predict.TypeFixtures")
    assert len(lines) == 3 * len(TYPES)
    for index, sql in enumerate(TYPES):
        java_json, java_input, java_output = (line.split(" ", 1)[1]
                                              for line in lines[3 * index:3 * index + 3])
        python_type = FlinkType.parse(sql)
        assert python_type.to_json() == json.loads(java_json), sql
        for encoded in (java_input, java_output):
            field = pa.ipc.read_schema(pa.py_buffer(base64.b64decode(encoded))).field("v")
            assert arrow_type(python_type) == field.type, (sql, field.type)
