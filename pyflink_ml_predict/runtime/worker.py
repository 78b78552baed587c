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
    """The protocol's own copies of fds 0 and 1; then fd 1 goes to stderr and fd 0 to
    /dev/null, so user code can neither corrupt nor steal the protocol's bytes."""
    protocol_in = os.dup(0)
    protocol_out = os.dup(1)
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


class _Frames:
    """Length-framed messages from a pipe, read in large chunks: when the JVM has sent the next
    batch while this one was predicted, one read brings both."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.position = 0

    def next(self):
        """The next message, or None at EOF."""
        header = self._take(4)
        if header is None:
            return None
        return self._take(_LENGTH.unpack(header)[0])

    def _take(self, size: int):
        end = self.position + size
        if end <= len(self.buffer):
            data = self.buffer[self.position:end]
            self.position = end
            return data
        parts = [self.buffer[self.position:]]
        have = len(parts[0])
        while have < size:
            chunk = os.read(self.fd, max(1 << 16, size - have))
            if not chunk:
                return None
            parts.append(chunk)
            have += len(chunk)
        data = b"".join(parts)
        self.buffer, self.position = data, size
        return data[:size]


def _write_frame(fd: int, message: bytes) -> None:
    data = memoryview(_LENGTH.pack(len(message)) + message)
    while data:
        data = data[os.write(fd, data):]


def _tune_garbage_collector() -> None:
    """After open(): the model's objects are long-lived, so they leave the collector's view,
    and the young generation may grow before a collection. Inference allocates many short-lived
    rows; with the defaults, collections took about 40% of a trivial model's time."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def serve(protocol_in: int, protocol_out: int) -> None:
    from .session import ModelSession

    session = ModelSession()
    frames = _Frames(protocol_in)
    tuned = False
    try:
        while True:
            message = frames.next()
            if message is None:
                return
            _write_frame(protocol_out, session.handle(message))
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
