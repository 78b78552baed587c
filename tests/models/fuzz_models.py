"""Models for tests/integration/test_fuzz_types.py, and the value comparison they share with it."""
import datetime
import decimal
import os
import pickle
import struct
import sys
import warnings

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


def canon(value):
    """A form of a value that compares equal exactly when the values are the same: NaN equals
    NaN, -0.0 differs from 0.0, True differs from 1, a Row compares by its values, a
    TIMESTAMP(9) by its nanoseconds, an aware datetime only with an aware one (and by instant)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", "nan" if value != value else repr(value))
    if isinstance(value, decimal.Decimal):
        return ("decimal", "nan" if value.is_nan() else value)
    if isinstance(value, (bytes, bytearray)):
        return ("bytes", bytes(value))
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, datetime.datetime):  # pandas.Timestamp (TIMESTAMP(7..9)) included
        nanos = getattr(value, "nanosecond", 0)
        offset = value.utcoffset()
        if offset is not None:
            value = (value - offset).replace(tzinfo=None)
        return ("datetime", value.year, value.month, value.day, value.hour, value.minute,
                value.second, value.microsecond * 1000 + nanos, offset)
    if isinstance(value, (datetime.date, datetime.time)):
        return (type(value).__name__, value)
    if isinstance(value, Row):
        return ("row", tuple(canon(v) for v in value))
    if isinstance(value, tuple):
        return ("row", tuple(canon(v) for v in value))
    if isinstance(value, list):
        return ("list", tuple(canon(v) for v in value))
    if isinstance(value, dict):
        return ("map", {canon(k): canon(v) for k, v in value.items()})
    return ("other", type(value).__name__, repr(value))


def _short(value, limit=300):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def describe_mismatch(names, expected, got):
    """None when every value equals its expected one, else which column differs and how."""
    if expected is None:
        return "no expected values for this id"
    for name, want, have in zip(names, expected, got):
        if canon(want) != canon(have):
            return f"column {name}: expected {_short(want)}, got {_short(have)}"
    if len(expected) != len(got):
        return f"expected {len(expected)} values, got {len(got)}"
    return None


class CheckedEcho(PredictFunction):
    """INPUT (id BIGINT, c1, c2, ...), OUTPUT (mismatch STRING, id BIGINT, c1, c2, ...) of the
    same types: echoes its input. 'mismatch' says which value is not the one the test wrote for
    this id to the pickle file in properties.expected ({id: (c1, c2, ...)}), or is NULL."""

    def open(self, context):
        with open(self.properties["expected"], "rb") as f:
            self.expected = pickle.load(f)
        self.names = [c.name for c in self.input_schema][1:]

    def predict(self, data):
        values = list(data)
        mismatch = describe_mismatch(self.names, self.expected.get(values[0]), values[1:])
        return [[mismatch] + values]


class ReturnsPickled(PredictFunction):
    """INPUT (payload BYTES): returns pickle.loads(payload), a list of OUTPUT values, as its one
    output row. The test decides exactly what the model hands back."""

    def predict(self, data):
        return [pickle.loads(data[0])]


# Bytes shaped like the worker protocol's frames: an int32 length, then a RESULT (12) or ERROR
# (13) message. Written to stdout they would corrupt the data stream if it were not protected.
FRAMES = (struct.pack(">iBii", 13, 12, 1, 1) + struct.pack(">i", 1 << 30)
          + struct.pack(">iB", 6, 13) + b"boom!" + b"\xff\xfe\x00\x00\x00\x00")


class NoisyEcho(PredictFunction):
    """INPUT (id BIGINT, text STRING, data BYTES), OUTPUT the same: echoes each row after
    writing junk to stdout every way Python code can (print, sys.stdout, sys.__stdout__, the
    raw file descriptor 1 as a C library would), frame-shaped bytes included, and to stderr."""

    def open(self, context):
        self.junk_bytes = int(self.properties.get("junk-bytes-per-row", "2048"))
        self.stderr_bytes = int(self.properties.get("stderr-bytes-per-row", "256"))
        os.write(1, FRAMES * 10)
        print("open: junk on stdout", FRAMES)

    def predict(self, data):
        junk = (FRAMES * (self.junk_bytes // len(FRAMES) + 1))[:self.junk_bytes]
        print(f"row {data[0]}", junk)
        # text without NUL characters: see PrintsAwkwardly for those
        sys.stdout.write(junk.replace(b"\x00", b"0").decode("latin-1"))
        sys.stdout.flush()
        if sys.__stdout__ is not None:
            sys.__stdout__.write("\x05\x0c\x01\xff\xfe".join(["junk"] * 8))
            sys.__stdout__.flush()
        os.write(1, junk)
        if self.stderr_bytes:
            # sys.stderr's descriptor, as faulthandler uses it: fd 2 in process mode; in thread
            # mode fd 2 is the JVM's own (not ours to fill), sys.stderr a logged pipe.
            os.write(sys.stderr.fileno(), junk[:self.stderr_bytes])
        return [list(data)]


def _print_awkwardly(way):
    if way == "nul":
        print("a NUL: \x00, frames:", FRAMES.decode("latin-1"))
    elif way == "stderr-nul":
        print("a NUL: \x00", file=sys.stderr)
    elif way == "surrogate":
        print("a lone surrogate: \ud800")
    elif way == "stdout-buffer":
        sys.stdout.buffer.write(FRAMES)
        sys.stdout.flush()
    elif way == "stdout-fileno":
        os.write(sys.stdout.fileno(), FRAMES)
    elif way == "stdout-isatty-encoding":  # what progress bars and colour libraries ask
        print(f"isatty {sys.stdout.isatty()}, encoding {sys.stdout.encoding}")
    else:
        raise ValueError(f"unknown way {way!r}")


class PrintsAwkwardly(PredictFunction):
    """INPUT (x INT), OUTPUT (y INT, failures STRING): y = x + 1, after writing to stdout or
    stderr in each of the ways in properties.ways (comma-separated), all legal Python that a
    model may do; 'failures' says which of them raised, and how, or is NULL. open() prints
    properties.marker, if given."""

    def open(self, context):
        self.ways = self.properties["ways"].split(",")
        if "marker" in self.properties:  # a line for the test to find in Flink's log
            print(self.properties["marker"])

    def predict(self, data):
        failures = []
        for way in self.ways:
            try:
                _print_awkwardly(way)
            except Exception as e:
                failures.append(f"{way}: {type(e).__name__}: {e}")
        return [[data[0] + 1, "; ".join(failures) or None]]


class WritesToStderr(PredictFunction):
    """INPUT (x INT), OUTPUT (y INT): y = x + 1, after writing properties.bytes bytes of text
    lines to sys.stderr, and a warning. Touches 'started' and 'finished' in the folder
    properties.markers around the writing, so a test can tell a slow job from a stuck write."""

    def open(self, context):
        self.markers = self.properties["markers"]
        self.size = int(self.properties["bytes"])

    def _touch(self, name):
        open(os.path.join(self.markers, name), "w").close()

    def predict(self, data):
        self._touch("started")
        line = "x" * 99
        for i in range(self.size // 100):
            print(line, file=sys.stderr)
        warnings.warn("WritesToStderr: a warning")
        print(f"WritesToStderr wrote {self.size} bytes")
        self._touch("finished")
        return [[data[0] + 1]]
