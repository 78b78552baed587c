"""The wire between the JVM and Python, each side against bytes the other side wrote.

A small Java program (``tests/java/.../WireFixtures.java``, compiled here against the installed
provider jar) writes an INIT message and a flat batch as the provider does; Python reads them.
Python writes a RESULT and a flat batch as the runtime does; the Java program decodes them with
the provider's own classes and prints what it sees. No Flink job runs: this pins the layout of
``pyflink_ml_predict/runtime/protocol.py`` and ``flat.py`` on both sides.
"""
import glob
import math
import os
import shutil
import subprocess

import pytest

from pyflink_ml_predict import jar_path
from pyflink_ml_predict.runtime import protocol
from pyflink_ml_predict.runtime.flat import FlatReader, FlatWriter

JAVA_SOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "java")
KINDS = "?bhiqfdssy"  # BOOLEAN ... DOUBLE, CHAR(3), STRING, BYTES


@pytest.fixture(scope="module")
def java(tmp_path_factory):
    """Runs WireFixtures with a mode and a directory; returns its printed lines."""
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

    def run(mode, directory):
        done = subprocess.run(
            ["java", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp",
             classes + os.pathsep + classpath,
             "io.pyflinkml.predict.runtime.WireFixtures", mode, str(directory)],
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
    rows = FlatWriter("is").encode([(1, "a"), (3, None)])
    (tmp_path / "python_result.bin").write_bytes(
        protocol.result([1, -1, 1], protocol.FLAT, rows, ["ValueError: bad row"]))
    values = [(True, -128, 32767, -2**31, 2**63 - 1, 1.5, -0.0, "abc", "\u00fc\U0001F600",
               b"\x00\xff"),
              (None,) * len(KINDS),
              (False, 127, -32768, 2**31 - 1, -2**63, -2.5, 1e300, "", "", b"")]
    (tmp_path / "python_flat_batch.bin").write_bytes(FlatWriter(KINDS).encode(values))
    assert java("read", tmp_path) == [
        "counts [1, -1, 1]",
        "errors [ValueError: bad row]",
        "encoding 1",
        "row 1 | 'a'",
        "row 3 | NULL",
        "row true | -128 | 32767 | -2147483648 | 9223372036854775807 | 1.5 | -0.0 | 'abc'"
        " | '\u00fc\U0001F600' | 0x00ff",
        "row " + " | ".join(["NULL"] * len(KINDS)),
        "row false | 127 | -32768 | 2147483647 | -9223372036854775808 | -2.5 | 1.0E300 | ''"
        " | '' | 0x",
    ]


def test_values_without_an_exact_flat_form_take_the_arrow_way():
    writer = FlatWriter("iqds")
    assert writer.encode([(1, 2, 3.5, "x")]) is not None
    for odd in [(True, 2, 3.5, "x"),          # bool for INT: Arrow refuses it, with a message
                (2**31, 2, 3.5, "x"),         # out of INT's range
                (1, 2.0, 3.5, "x"),           # a float for BIGINT: Arrow decides whole or not
                (1, 2, "3.5", "x"),           # a string for DOUBLE
                (1, 2, 3.5, b"x"),            # bytes for STRING
                (1, 2, 3.5, "\ud800")]:       # a lone surrogate has no UTF-8
        assert writer.encode([odd]) is None, odd
