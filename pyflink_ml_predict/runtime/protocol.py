"""Messages between the Java shim and the Python runtime (``PythonModelSession.java`` speaks them
too; ``tests/integration/test_wire.py`` checks both sides against each other's bytes).

Every message starts with one type byte; integers are big-endian int32; a *chunk* is an int32
length and that many bytes.

- INIT   (1): chunks of the model config JSON, the subtask ("index/parallelism"), the INPUT
             and the OUTPUT kinds of the flat layout (ASCII, one letter per column; empty when
             the schema has no flat form, see ``flat.py``), and the INPUT Arrow IPC schema
             message; then the OUTPUT Arrow IPC schema message.
- BATCH  (2): the rows' encoding (0 Arrow, 1 flat), then the INPUT rows: one Arrow IPC record
             batch message (no schema: it came with INIT) or one flat batch.
- READY  (11): the class is loaded and opened; then the encoding its BATCH messages should
             take (flat only when INIT offered INPUT kinds and the class takes rows), then 1 if
             the class is vectorized (a ``batch_format`` other than rows: a large fixed cost
             per call, so batches are best as large as the in-flight cap allows), else 0;
             then the model's metric updates (a chunk, see below).
- RESULT (12): n, then n counts (output rows per input row; -1 for a row the error policy
             skipped), then for each -1 in order the row's error (a chunk of UTF-8 text), then
             how many times rows were predicted again under 'retry', then the model's metric
             updates (a chunk), then the model version that answered (a chunk of UTF-8; empty
             for an unversioned model), then the encoding of the output rows (0 Arrow, 1
             flat), then all output rows in order.
- ERROR  (13): a UTF-8 message with the Python traceback.

The metric updates are the user's metrics that are new or changed since the last answer, as
UTF-8 JSON (``MetricRegistry.take_updates`` in ``api/metrics.py`` says its form), or an empty
chunk when nothing changed.

Several BATCH messages may be under way at once; RESULTs come back in the same order. The
process transport frames each message with an int32 length on the worker's stdin/stdout.
"""
import json
import struct
from typing import List, NamedTuple, Optional, Sequence, Tuple

import pyarrow as pa

INIT = 1
BATCH = 2
READY = 11
RESULT = 12
ERROR = 13
ARROW = 0
FLAT = 1

_INT = struct.Struct(">i")
_RESULT_HEADERS: dict = {}


class Init(NamedTuple):
    config_json: str
    subtask: str
    input_kinds: Optional[str]
    output_kinds: Optional[str]
    input_schema: pa.Schema
    output_schema: pa.Schema


def _chunk(message: bytes, offset: int) -> Tuple[bytes, int]:
    (length,) = _INT.unpack_from(message, offset)
    offset += 4
    return message[offset:offset + length], offset + length


def parse_init(message: bytes) -> Init:
    config_json, offset = _chunk(message, 1)
    subtask, offset = _chunk(message, offset)
    input_kinds, offset = _chunk(message, offset)
    output_kinds, offset = _chunk(message, offset)
    input_bytes, offset = _chunk(message, offset)
    return Init(config_json.decode("utf-8"), subtask.decode("utf-8"),
                input_kinds.decode("ascii") or None, output_kinds.decode("ascii") or None,
                pa.ipc.read_schema(pa.py_buffer(input_bytes)),
                pa.ipc.read_schema(pa.py_buffer(memoryview(message)[offset:])))


def batch_encoding(message: bytes) -> int:
    return message[1]


def read_batch(message: bytes, schema: pa.Schema) -> pa.RecordBatch:
    """The record batch of an Arrow BATCH message (zero-copy over the message)."""
    return pa.ipc.read_record_batch(pa.py_buffer(memoryview(message)[2:]), schema)


_EMPTY_CHUNK = _INT.pack(0)
_NO_RETRIES_EMPTY_CHUNK = _INT.pack(0) + _EMPTY_CHUNK  # the usual tail of a RESULT


def text_chunk(text: str) -> bytes:
    """A chunk of UTF-8 text (built once per model version by the session)."""
    data = text.encode("utf-8")
    return _INT.pack(len(data)) + data


def metrics_chunk(updates: Optional[dict]) -> bytes:
    """The metric updates as a chunk (raises for a value JSON cannot hold)."""
    if not updates:
        return _EMPTY_CHUNK
    data = json.dumps(updates, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return _INT.pack(len(data)) + data


def ready(flat_input: bool, vectorized: bool, metrics: bytes = _EMPTY_CHUNK) -> bytes:
    """A READY message; ``metrics`` is a chunk from :func:`metrics_chunk`."""
    return bytes([READY, FLAT if flat_input else ARROW, int(vectorized)]) + metrics


def result(counts: List[int], encoding: int, rows: bytes, errors: Sequence[str] = (),
           retries: int = 0, metrics: bytes = _EMPTY_CHUNK, version: bytes = _EMPTY_CHUNK
           ) -> bytes:
    """A RESULT message; ``rows`` are the output rows in ``encoding`` (ARROW or FLAT),
    ``metrics`` a chunk from :func:`metrics_chunk`, ``version`` one from :func:`text_chunk`."""
    header = _RESULT_HEADERS.get(len(counts))
    if header is None:
        header = _RESULT_HEADERS[len(counts)] = struct.Struct(f">Bi{len(counts)}i")
    parts = [header.pack(RESULT, len(counts), *counts)]
    for text in errors:
        data = text.encode("utf-8", errors="replace")
        parts += [_INT.pack(len(data)), data]
    if retries or metrics != _EMPTY_CHUNK:
        parts += [_INT.pack(retries), metrics]
    else:
        parts.append(_NO_RETRIES_EMPTY_CHUNK)
    parts += [version, bytes([encoding]), rows]
    return b"".join(parts)


def error(message: str) -> bytes:
    return bytes([ERROR]) + message.encode("utf-8", errors="replace")


def encode_init(config_json: str, subtask: str, input_schema: pa.Schema,
                output_schema: pa.Schema, input_kinds: str = "", output_kinds: str = "") -> bytes:
    """Builds an INIT message (the Java side's job; used by local runs and tests)."""
    chunks = [config_json.encode("utf-8"), subtask.encode("utf-8"), input_kinds.encode("ascii"),
              output_kinds.encode("ascii"), input_schema.serialize().to_pybytes()]
    return (bytes([INIT]) + b"".join(_INT.pack(len(c)) + c for c in chunks)
            + output_schema.serialize().to_pybytes())


def encode_batch(batch: pa.RecordBatch) -> bytes:
    """Builds an Arrow BATCH message (the Java side's job; used by local runs and tests)."""
    return bytes([BATCH, ARROW]) + batch.serialize().to_pybytes()


class Result(NamedTuple):
    counts: List[int]
    encoding: int
    rows: memoryview
    errors: List[str]
    retries: int
    metrics: Optional[dict]
    version: Optional[str]


def parse_result(message: bytes) -> Result:
    """Splits a RESULT message (local runs and tests)."""
    (n,) = _INT.unpack_from(message, 1)
    counts = list(struct.unpack_from(f">{n}i", message, 5))
    offset = 5 + 4 * n
    errors = []
    for _ in range(counts.count(-1)):
        text, offset = _chunk(message, offset)
        errors.append(text.decode("utf-8"))
    (retries,) = _INT.unpack_from(message, offset)
    metrics, offset = _chunk(message, offset + 4)
    version, offset = _chunk(message, offset)
    return Result(counts, message[offset], memoryview(message)[offset + 1:], errors, retries,
                  json.loads(metrics) if metrics else None, version.decode("utf-8") or None)


def parse_ready(message: bytes) -> Tuple[int, bool, Optional[dict]]:
    """The encoding, vectorized flag and metric updates of a READY message (local runs)."""
    metrics, _ = _chunk(message, 3)
    return message[1], bool(message[2]), json.loads(metrics) if metrics else None


def read_arrow_rows(rows: memoryview, schema: pa.Schema) -> pa.RecordBatch:
    """The output record batch of an Arrow RESULT (local runs and tests)."""
    return pa.ipc.read_record_batch(pa.py_buffer(rows), schema)
