"""Messages between the Java shim and the Python runtime (mirrors ``PythonModelSession.java``).

Every message starts with one type byte; integers are big-endian int32.

- INIT   (1): json length, model config JSON, subtask length, "index/parallelism",
             then the OUTPUT schema as an Arrow IPC stream without batches.
- BATCH  (2): an Arrow IPC stream holding one record batch of INPUT rows.
- READY  (11): the class is loaded and opened.
- RESULT (12): n, then n counts (output rows per input row), then an Arrow IPC stream of all
             output rows in order.
- ERROR  (13): a UTF-8 message with the Python traceback.

The process transport frames each message with an int32 length on the worker's stdin/stdout.
"""
import struct
from typing import List, Tuple

INIT = 1
BATCH = 2
READY = 11
RESULT = 12
ERROR = 13

_INT = struct.Struct(">i")


def parse_init(message: bytes) -> Tuple[str, str, bytes]:
    """Returns the config JSON, the subtask ("index/parallelism") and the output schema bytes."""
    offset = 1
    (json_length,) = _INT.unpack_from(message, offset)
    offset += 4
    config_json = message[offset:offset + json_length].decode("utf-8")
    offset += json_length
    (subtask_length,) = _INT.unpack_from(message, offset)
    offset += 4
    subtask = message[offset:offset + subtask_length].decode("utf-8")
    offset += subtask_length
    return config_json, subtask, message[offset:]


def ready() -> bytes:
    return bytes([READY])


def result(counts: List[int], arrow_stream: bytes) -> bytes:
    header = struct.pack(f">Bi{len(counts)}i", RESULT, len(counts), *counts)
    return header + arrow_stream


def error(message: str) -> bytes:
    return bytes([ERROR]) + message.encode("utf-8", errors="replace")


def encode_init(config_json: str, subtask: str, schema: bytes) -> bytes:
    """Builds an INIT message (the Java side's job; used by tests and local runs)."""
    json_bytes = config_json.encode("utf-8")
    subtask_bytes = subtask.encode("utf-8")
    return (
        bytes([INIT]) + _INT.pack(len(json_bytes)) + json_bytes
        + _INT.pack(len(subtask_bytes)) + subtask_bytes + schema
    )


def parse_result(message: bytes) -> Tuple[List[int], bytes]:
    """Splits a RESULT message into counts and the Arrow stream (tests and local runs)."""
    (n,) = _INT.unpack_from(message, 1)
    counts = list(struct.unpack_from(f">{n}i", message, 5))
    return counts, message[5 + 4 * n:]
