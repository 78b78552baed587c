"""The fuzzing's vocabulary, shared by tests/unit/test_fuzz_conversions.py (without a JVM)
and tests/integration/test_fuzz_types.py (real jobs): each supported Flink type as a *kind*,
with hypothesis strategies for its Python values (extreme numbers, NULLs inside arrays, maps
and rows, empty, very long and non-ASCII text) and how Flink's JSON format spells them.

What Flink itself cannot carry, so no test expects it: TIME beyond milliseconds (Flink keeps a
TIME as milliseconds of the day, whatever its precision), and a NaN's payload bits (Java
canonicalizes NaN; NaN still arrives as NaN).
"""
import base64
import datetime
import decimal
import json
import sys

import pandas as pd
from hypothesis import strategies as st

from paths import MODELS

sys.path.insert(0, MODELS)
from fuzz_models import FRAMES  # noqa: E402

UTC = datetime.timezone.utc

# ---------------------------------------------------------------------------------------------
# Kinds: a Flink type, the Python values of it, and how Flink's JSON format spells them
# ---------------------------------------------------------------------------------------------

def weighted(*pairs):
    """One of several strategies, by weight: ``weighted((9, a), (1, b))``."""
    choices = [s for w, s in pairs for _ in range(w)]
    return st.integers(0, len(choices) - 1).flatmap(lambda i: choices[i])


class Kind:
    """``sql``: the Flink type. ``values``: non-NULL Python values as a model sees them.
    ``to_json``: a value as Flink's JSON format reads it. ``json_sql``: the type the JSON
    source declares, if JSON cannot carry ``sql`` itself (a CAST in SQL makes ``sql``)."""

    def __init__(self, sql, values, to_json=lambda v: v, json_sql=None, nullable=True):
        self.sql = sql
        self.values = values
        self._to_json = to_json
        self.json_sql = json_sql or sql
        self.nullable = nullable

    def or_null(self):
        return weighted((1, st.none()), (7, self.values)) if self.nullable else self.values

    def to_json(self, value):
        return None if value is None else self._to_json(value)

    def not_null(self):
        return Kind(self.sql + " NOT NULL", self.values, self._to_json,
                    self.json_sql + " NOT NULL", nullable=False)

    def __repr__(self):
        return self.sql


def _ints(bits):
    lo, hi = -2 ** (bits - 1), 2 ** (bits - 1) - 1
    return weighted((1, st.sampled_from([lo, hi, 0, -1, 1, lo + 1, hi - 1])),
                    (3, st.integers(lo, hi)))


FLOAT32_SPECIAL = [3.4028234663852886e+38, -3.4028234663852886e+38, 1.401298464324817e-45,
                   1.1754943508222875e-38, -0.0, 0.0, float("nan"), float("inf"), float("-inf")]
DOUBLE_SPECIAL = [sys.float_info.max, -sys.float_info.max, 5e-324, -5e-324,
                  sys.float_info.min, -0.0, 0.0, float("nan"), float("inf"), float("-inf"),
                  9007199254740993.0, 0.1]


def _float_json(v):
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)  # a string: Java's parseFloat/parseDouble read it exactly, -0.0 included


def decimal_kind(precision, scale):
    exact = decimal.Context(prec=80)  # the default context has 28 digits, DECIMAL up to 38
    quantum = decimal.Decimal(1).scaleb(-scale)
    bound = exact.subtract(decimal.Decimal(10 ** (precision - scale)), quantum)
    special = [bound, bound.copy_negate(), quantum, quantum.copy_negate(),
               decimal.Decimal(0).quantize(quantum)]
    # Unscaled integers: st.decimals rounds its bounds in the 28-digit default context.
    unscaled = 10 ** precision - 1
    values = weighted((1, st.sampled_from(special)),
                      (3, st.integers(-unscaled, unscaled).map(
                          lambda n: decimal.Decimal(n).scaleb(-scale, context=exact))))
    return Kind(f"DECIMAL({precision}, {scale})",
                values.map(lambda d: d.quantize(quantum, context=exact)),
                lambda d: format(d, "f"))


SPECIAL_TEXT = ["", "\x00", "a\x00b\x00", "😀", "e\u0301", "\u202eevil", "\ufeff", "\U0010ffff",
                "\\", "'", '"', "\n\r\t", "日本語のテキスト", "Привет", "مرحبا",
                FRAMES.decode("latin-1"), "\x7f\x80\x9f"]


def text(max_size=None, long=False):
    short = st.text(max_size=min(max_size or 30, 30))
    special = st.sampled_from([s for s in SPECIAL_TEXT if max_size is None or len(s) <= max_size])
    pairs = [(6, short), (2, special)]
    if long:  # 10,000 to 100,000 characters
        pairs.append((1, st.builds(lambda s, n: (s * n)[:n], st.text(min_size=1, max_size=4),
                                   st.integers(10_000, 100_000))))
    return weighted(*pairs)


def binary(max_size=None, long=False):
    pairs = [(6, st.binary(max_size=min(max_size or 30, 30))),
             (2, st.sampled_from([b for b in (b"", b"\x00", FRAMES, b"\xff" * 4)
                                  if max_size is None or len(b) <= max_size]))]
    if long:
        pairs.append((1, st.builds(lambda b, n: (b * n)[:n], st.binary(min_size=1, max_size=4),
                                   st.integers(10_000, 100_000))))
    return weighted(*pairs)


def _truncate_micros(microsecond, precision):
    unit = 10 ** (6 - min(precision, 6))
    return microsecond - microsecond % unit


def time_kind(precision, flink=True):
    # Flink keeps TIME as milliseconds of the day whatever the precision; Arrow keeps more.
    p = min(precision, 3) if flink else precision
    values = weighted((1, st.sampled_from([datetime.time(0), datetime.time(23, 59, 59, 999999)])),
                      (3, st.times()))
    values = values.map(lambda t: t.replace(microsecond=_truncate_micros(t.microsecond, p)))
    return Kind(f"TIME({precision})", values,
                lambda t: t.isoformat(timespec="milliseconds" if t.microsecond else "seconds"))


# TIMESTAMP(7..9) travel as Arrow int64 nanoseconds. Python (pandas.Timestamp) holds
# 1677-09-21 00:12:43.145224193 to 2262-04-11 23:47:16.854775807 (the int64 minimum is NaT);
# the provider refuses INPUT values outside whole days of that, 1677-09-22 to 2262-04-10.
NS_RANGE = {"python": (pd.Timestamp.min.value, pd.Timestamp.max.value),
            "flink": (pd.Timestamp("1677-09-22").value, pd.Timestamp("2262-04-11").value - 1)}


def _ns_timestamps(tz=None, flink=True):
    lo, hi = NS_RANGE["flink" if flink else "python"]
    special = [lo, hi, -1, 0, 1]
    return weighted((1, st.sampled_from(special)), (3, st.integers(lo, hi))).map(
        lambda n: pd.Timestamp(n, tz=tz))


def timestamp_kind(precision, ltz=False, flink=True):
    name = f"TIMESTAMP_LTZ({precision})" if ltz else f"TIMESTAMP({precision})"
    suffix = "Z" if ltz else ""
    if precision > 6:
        values = _ns_timestamps(UTC if ltz else None, flink)
        return Kind(name, values,
                    lambda t: t.tz_localize(None).isoformat() + suffix if ltz
                    else t.isoformat())
    epoch = datetime.datetime(1970, 1, 1)
    special = [datetime.datetime.min, datetime.datetime.max, epoch,
               datetime.datetime(1969, 12, 31, 23, 59, 59, 999999),
               datetime.datetime(1900, 1, 1, 0, 0, 0, 1)]
    values = weighted((1, st.sampled_from(special)), (3, st.datetimes()))
    values = values.map(
        lambda d: d.replace(microsecond=_truncate_micros(d.microsecond, precision),
                            tzinfo=UTC if ltz else None))
    return Kind(name, values, lambda d: d.replace(tzinfo=None).isoformat() + suffix)


def array_kind(element):
    return Kind(f"ARRAY<{element.sql}>", st.lists(element.or_null(), max_size=5),
                lambda v: [element.to_json(e) for e in v], f"ARRAY<{element.json_sql}>")


def map_kind(key, value):
    # JSON object keys are strings: other key types are read as STRING and CAST.
    key_json = (lambda k: k) if key.sql.startswith(("VARCHAR", "STRING")) else (
        lambda k: json.dumps(key.to_json(k)).strip('"'))
    return Kind(f"MAP<{key.sql}, {value.sql}>",
                st.dictionaries(key.values, value.or_null(), max_size=4),
                lambda m: {key_json(k): value.to_json(v) for k, v in m.items()},
                f"MAP<STRING, {value.json_sql}>")


def row_kind(fields):
    return Kind("ROW<" + ", ".join(f"`{n}` {k.sql}" for n, k in fields) + ">",
                st.tuples(*[k.or_null() for _, k in fields]),
                lambda r: {n: k.to_json(v) for (n, k), v in zip(fields, r)},
                "ROW<" + ", ".join(f"`{n}` {k.json_sql}" for n, k in fields) + ">")


BOOLEAN = Kind("BOOLEAN", st.booleans())
TINYINT, SMALLINT = Kind("TINYINT", _ints(8)), Kind("SMALLINT", _ints(16))
INT, BIGINT = Kind("INT", _ints(32)), Kind("BIGINT", _ints(64))
FLOAT = Kind("FLOAT", weighted((1, st.sampled_from(FLOAT32_SPECIAL)), (3, st.floats(width=32))),
             _float_json)
DOUBLE = Kind("DOUBLE", weighted((1, st.sampled_from(DOUBLE_SPECIAL)), (3, st.floats())),
              _float_json)
STRING = Kind("STRING", text(long=True))
SHORT_STRING = Kind("STRING", text())
BYTES = Kind("BYTES", binary(long=True), lambda b: base64.b64encode(b).decode())
SHORT_BYTES = Kind("BYTES", binary(), lambda b: base64.b64encode(b).decode())
DATE = Kind("DATE", weighted((1, st.sampled_from([datetime.date.min, datetime.date.max,
                                                   datetime.date(1969, 12, 31)])),
                             (3, st.dates())), lambda d: d.isoformat())


# BINARY(n) is n bytes exactly: Flink's Arrow type for it is fixed_size_binary(n)
BINARY4 = Kind("BINARY(4)",
               weighted((1, st.sampled_from([b"\x00" * 4, b"\xff" * 4, FRAMES[:4]])),
                        (3, st.binary(min_size=4, max_size=4))),
               lambda b: base64.b64encode(b).decode())


def scalar_kinds(flink=True):
    kinds = [BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE,
             decimal_kind(1, 0), decimal_kind(5, 2), decimal_kind(10, 10), decimal_kind(18, 4),
             decimal_kind(38, 10), decimal_kind(38, 0), decimal_kind(38, 38),
             Kind("CHAR(3)", text(3)), Kind("VARCHAR(5)", text(5)), SHORT_STRING,
             BINARY4,
             Kind("VARBINARY(7)", binary(7), lambda b: base64.b64encode(b).decode()),
             SHORT_BYTES, DATE, time_kind(0, flink), time_kind(3, flink),
             timestamp_kind(0), timestamp_kind(3), timestamp_kind(6),
             timestamp_kind(9, flink=flink), timestamp_kind(3, ltz=True),
             timestamp_kind(6, ltz=True), timestamp_kind(9, ltz=True, flink=flink)]
    if not flink:
        kinds += [time_kind(6, flink), time_kind(9, flink)]
    return kinds


def map_keys():
    return [SHORT_STRING, INT, TINYINT, BIGINT, BOOLEAN, DATE]


def random_kinds(flink=False):
    """Any supported type: scalars, NOT NULL or not, nested in ARRAY, MAP and ROW at random."""
    scalars = st.sampled_from(scalar_kinds(flink))
    scalars = weighted((5, scalars), (1, scalars.map(lambda k: k.not_null())))

    def nest(inner):
        fields = st.lists(inner, min_size=1, max_size=4).map(
            lambda ks: row_kind([(f"f{i}", k) for i, k in enumerate(ks)]))
        return st.one_of(inner.map(array_kind),
                         st.tuples(st.sampled_from(map_keys()), inner).map(
                             lambda kv: map_kind(*kv)),
                         fields)

    return st.one_of(scalars, st.recursive(scalars, nest, max_leaves=6))


