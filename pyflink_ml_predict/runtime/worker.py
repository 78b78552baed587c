"""The Python worker process of the ``process`` execution mode.

``python -m pyflink_ml_predict.runtime.worker``: reads length-framed messages on stdin, answers
on stdout. The protocol owns the original stdout; fd 1 is pointed at stderr so that ``print``
in user code (or a C library writing to fd 1) cannot corrupt it, and stdin is replaced with
/dev/null. The worker exits on stdin EOF (its Java side closed or died) and when its parent
process is gone.
"""
import gc
import os
import struct
import sys
import threading
import time

_LENGTH = struct.Struct(">i")


def _take_protocol_streams():
    protocol_in = os.fdopen(os.dup(0), "rb", buffering=1 << 16)
    protocol_out = os.fdopen(os.dup(1), "wb", buffering=1 << 16)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdout = sys.stderr
    return protocol_in, protocol_out


def _exit_when_orphaned(parent: int) -> None:
    """A killed TaskManager cannot stop us: notice it and leave."""
    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(3)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _read_exact(stream, size: int):
    data = stream.read(size)
    if data is None or len(data) < size:
        return None
    return data


def _tune_garbage_collector() -> None:
    """After open(): the model's objects are long-lived, so they leave the collector's view,
    and the young generation may grow before a collection. Inference allocates many short-lived
    rows; with the defaults, collections took about 40% of a trivial model's time."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def serve(protocol_in, protocol_out) -> None:
    from .session import ModelSession

    session = ModelSession()
    tuned = False
    try:
        while True:
            header = _read_exact(protocol_in, 4)
            if header is None:
                return
            (length,) = _LENGTH.unpack(header)
            message = _read_exact(protocol_in, length)
            if message is None:
                return
            response = session.handle(message)
            protocol_out.write(_LENGTH.pack(len(response)))
            protocol_out.write(response)
            protocol_out.flush()
            if not tuned and session.function is not None:
                _tune_garbage_collector()
                tuned = True
    finally:
        session.close()


def _record_peak_memory() -> None:
    """Appends this worker's peak RSS in MB to $PYFLINK_ML_PREDICT_PEAK_RSS_FILE, if set."""
    path = os.environ.get("PYFLINK_ML_PREDICT_PEAK_RSS_FILE")
    if path:
        import resource

        with open(path, "a") as f:
            f.write(f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}\n")


def main() -> None:
    protocol_in, protocol_out = _take_protocol_streams()
    _exit_when_orphaned(os.getppid())
    try:
        serve(protocol_in, protocol_out)
    finally:
        _record_peak_memory()


if __name__ == "__main__":
    main()
