"""Messages between the Java shim and the Python runtime (mirrors ``PythonModelSession.java``).

Every message starts with one type byte; integers are big-endian int32.

- INIT   (1): json length, model config JSON, subtask length, "index/parallelism", input
             schema length, the INPUT schema, then the OUTPUT schema (Arrow IPC schema messages).
- BATCH  (2): one Arrow IPC record batch message of INPUT rows (no schema: it came with INIT).
- READY  (11): the class is loaded and opened.
- RESULT (12): n, then n counts (output rows per input row; -1 for a row the error policy
             skipped), then for each -1 in order the row's error (length, UTF-8 text), then one
             Arrow IPC record batch message of all output rows in order.
- ERROR  (13): a UTF-8 message with the Python traceback.

The process transport frames each message with an int32 length on the worker's stdin/stdout.
"""
import struct
from typing import List, Sequence, Tuple

import pyarrow as pa

INIT = 1
BATCH = 2
READY = 11
RESULT = 12
ERROR = 13

_INT = struct.Struct(">i")


def parse_init(message: bytes) -> Tuple[str, str, pa.Schema, pa.Schema]:
    """Returns the config JSON, the subtask ("index/parallelism") and the two Arrow schemas."""
    offset = 1
    (json_length,) = _INT.unpack_from(message, offset)
    offset += 4
    config_json = message[offset:offset + json_length].decode("utf-8")
    offset += json_length
    (subtask_length,) = _INT.unpack_from(message, offset)
    offset += 4
    subtask = message[offset:offset + subtask_length].decode("utf-8")
    offset += subtask_length
    (input_length,) = _INT.unpack_from(message, offset)
    offset += 4
    view = memoryview(message)
    input_schema = pa.ipc.read_schema(pa.py_buffer(view[offset:offset + input_length]))
    output_schema = pa.ipc.read_schema(pa.py_buffer(view[offset + input_length:]))
    return config_json, subtask, input_schema, output_schema


def read_batch(message: bytes, schema: pa.Schema) -> pa.RecordBatch:
    """The record batch of a BATCH message (zero-copy over the message)."""
    return pa.ipc.read_record_batch(pa.py_buffer(memoryview(message)[1:]), schema)


def ready() -> bytes:
    return bytes([READY])


def result(counts: List[int], batch: pa.RecordBatch, errors: Sequence[str] = ()) -> bytes:
    header = struct.pack(f">Bi{len(counts)}i", RESULT, len(counts), *counts)
    if errors:
        texts = [e.encode("utf-8", errors="replace") for e in errors]
        header += b"".join(_INT.pack(len(t)) + t for t in texts)
    return header + batch.serialize().to_pybytes()


def error(message: str) -> bytes:
    return bytes([ERROR]) + message.encode("utf-8", errors="replace")


def encode_init(config_json: str, subtask: str, input_schema: pa.Schema,
                output_schema: pa.Schema) -> bytes:
    """Builds an INIT message (the Java side's job; used by local runs and tests)."""
    json_bytes = config_json.encode("utf-8")
    subtask_bytes = subtask.encode("utf-8")
    input_bytes = input_schema.serialize().to_pybytes()
    return (
        bytes([INIT]) + _INT.pack(len(json_bytes)) + json_bytes
        + _INT.pack(len(subtask_bytes)) + subtask_bytes
        + _INT.pack(len(input_bytes)) + input_bytes + output_schema.serialize().to_pybytes()
    )


def encode_batch(batch: pa.RecordBatch) -> bytes:
    """Builds a BATCH message (the Java side's job; used by local runs and tests)."""
    return bytes([BATCH]) + batch.serialize().to_pybytes()


def parse_result(message: bytes,
                 schema: pa.Schema) -> Tuple[List[int], pa.RecordBatch, List[str]]:
    """Splits a RESULT message into counts, the output batch and the errors of skipped rows
    (local runs and tests)."""
    (n,) = _INT.unpack_from(message, 1)
    counts = list(struct.unpack_from(f">{n}i", message, 5))
    offset = 5 + 4 * n
    errors = []
    for _ in range(counts.count(-1)):
        (length,) = _INT.unpack_from(message, offset)
        errors.append(message[offset + 4:offset + 4 + length].decode("utf-8"))
        offset += 4 + length
    batch = pa.ipc.read_record_batch(pa.py_buffer(memoryview(message)[offset:]), schema)
    return counts, batch, errors
