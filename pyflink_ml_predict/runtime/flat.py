"""The flat batch layout: rows of plain scalar columns, a few bytes per value.

Arrow IPC costs about a hundred microseconds per batch on each side (schema checks, flatbuffer
metadata, buffers); at Flink's default in-flight cap of 10 a batch holds 5 to 10 rows, so that
fixed cost was most of a trivial model's time. This layout is the one definition of a flat
batch; ``io.pyflinkml.predict.wire.FlatBatchCodec`` writes INPUT rows and reads OUTPUT rows in
it, this module reads INPUT rows and writes OUTPUT rows, and tests check each side against bytes
the other side wrote.

Which columns have a flat form is decided by the Java side, which sends one *kind* letter per
column at INIT (no kinds: the schema is not flat, and batches take Arrow):

=====  ==========================  ======================
kind   Flink type                  value bytes
=====  ==========================  ======================
``?``  BOOLEAN                     1 (0 or 1)
``b``  TINYINT                     1, signed
``h``  SMALLINT                    2, signed
``i``  INT                         4, signed
``q``  BIGINT                      8, signed
``f``  FLOAT                       4, IEEE 754
``d``  DOUBLE                      8, IEEE 754
``s``  CHAR, VARCHAR, STRING       UTF-8 (variable)
``y``  VARBINARY, BYTES            raw bytes (variable)
=====  ==========================  ======================

A batch of ``n`` rows, little-endian::

    int32 n
    for each column, in order:
        n bytes      1 where the value is NULL, else 0
        fixed kinds: n values of the kind's width (0 where NULL)
        s and y:     n int32 byte lengths (0 where NULL), then the n values' bytes

The letters are Python ``struct`` codes where one exists, so one ``struct`` call reads or writes
a fixed-width column.
"""
import struct
from typing import Any, Dict, FrozenSet, List, Optional, Sequence

__all__ = ["FlatReader", "FlatWriter", "VARIABLE"]

VARIABLE = frozenset("sy")
_COUNT = struct.Struct("<i")
_WIDTH = {k: struct.calcsize("<" + k) for k in "?bhiqfd"}
# What a flat OUTPUT value must be, exactly: subclasses (bool for int, numpy scalars) take the
# Arrow way, whose conversion rules then apply.
_EXACT: Dict[str, FrozenSet[type]] = {
    "?": frozenset({bool}), "b": frozenset({int}), "h": frozenset({int}), "i": frozenset({int}),
    "q": frozenset({int}), "f": frozenset({float, int}), "d": frozenset({float, int}),
    "s": frozenset({str}), "y": frozenset({bytes}),
}
_NULLABLE = {kind: types | {type(None)} for kind, types in _EXACT.items()}


class FlatReader:
    """Reads flat batches into columns of Python values (str for ``s``, bytes for ``y``)."""

    def __init__(self, kinds: str) -> None:
        self.kinds = kinds
        self._plans: Dict[int, List[tuple]] = {}

    def _plan(self, n: int) -> List[tuple]:
        """Per column, made once per batch size n: the kind and the struct of its values (of
        its lengths for s and y) with their byte size."""
        plan = self._plans[n] = [
            (kind, struct.Struct(f"<{n}{'i' if kind in VARIABLE else kind}"),
             n * (4 if kind in VARIABLE else _WIDTH[kind])) for kind in self.kinds]
        return plan

    def columns(self, data: bytes, offset: int = 0) -> List[Sequence[Any]]:
        (n,) = _COUNT.unpack_from(data, offset)
        offset += 4
        columns: List[Sequence[Any]] = []
        for kind, values_struct, size in self._plans.get(n) or self._plan(n):
            nulls = data[offset:offset + n]
            offset += n
            values = values_struct.unpack_from(data, offset)
            offset += size
            if kind in VARIABLE:
                lengths, values = values, []
                append = values.append
                for length in lengths:
                    end = offset + length
                    append(data[offset:end])
                    offset = end
                if kind == "s":
                    values = [v.decode("utf-8") for v in values]
            if nulls.count(0) != n:
                values = [None if null else v for v, null in zip(values, nulls)]
            columns.append(values)
        if offset != len(data):
            raise ValueError(f"a flat batch of {n} rows has {len(data) - offset} bytes too many")
        return columns


class FlatWriter:
    """Writes rows of Python values as a flat batch, or says they have no flat form."""

    def __init__(self, kinds: str, not_null: Sequence[bool] = ()) -> None:
        """``not_null``: per column, whether it is NOT NULL (a None there takes the Arrow way,
        which refuses it with the column's name)."""
        self.kinds = kinds
        self.not_null = list(not_null) or [False] * len(kinds)
        self._plans: Dict[int, tuple] = {}

    def _plan(self, n: int) -> tuple:
        """What a batch of n rows needs, made once per n: its count, the NULL flags of a column
        without NULLs, and per column the kind, its allowed types and its struct."""
        columns = [(kind, _EXACT[kind], _EXACT[kind] if not_null else _NULLABLE[kind],
                    struct.Struct(f"<{n}{'i' if kind in VARIABLE else kind}"))
                   for kind, not_null in zip(self.kinds, self.not_null)]
        plan = self._plans[n] = (_COUNT.pack(n), bytes(n), columns)
        return plan

    def encode(self, rows: Sequence[Sequence[Any]]) -> Optional[bytes]:
        """The batch, or None when a value is not exactly of its kind's Python type (or out of
        its range): the caller then takes the Arrow way, with its conversions and messages."""
        n = len(rows)
        count, no_nulls, columns = self._plans.get(n) or self._plan(n)
        parts = [count]
        append = parts.append
        try:
            for (kind, exact, nullable, packer), values in zip(
                    columns, zip(*rows) if n else [()] * len(columns)):
                types = set(map(type, values))
                if types <= exact:
                    append(no_nulls)
                elif types <= nullable:
                    append(bytes([v is None for v in values]))
                    filler = "" if kind == "s" else b"" if kind == "y" else 0
                    values = [filler if v is None else v for v in values]
                else:
                    return None
                if kind == "s":
                    data = [v.encode("utf-8") for v in values]
                    append(packer.pack(*map(len, data)))
                    parts += data
                elif kind == "y":
                    append(packer.pack(*map(len, values)))
                    parts += values
                else:
                    append(packer.pack(*values))
        except (struct.error, OverflowError, UnicodeEncodeError):
            return None
        return b"".join(parts)
