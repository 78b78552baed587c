"""Real standard streams for thread mode's embedded CPython, logged by the JVM.

pemja's sys.stdout/sys.stderr hand each write to Java's System.out/System.err: they refuse NUL
and lone surrogates, lack ``buffer``, ``fileno()`` and ``isatty()``, and block once a JVM whose
stderr nobody reads (PyFlink's local one) has 64 KB on it. Instead, both become one text stream
over a pipe of this (the JVM's) process, whose read end a Java thread logs line by line, as
process mode logs its worker's stderr.

The interpreter is shared by every thread-mode function of the JVM (and PyFlink's own thread-mode
UDFs), so the pipe is made once and lives as long as the process: CPython is never finalized
under pemja, and a model's threads may still print after its function closes. That is one pipe
and one Java thread per JVM, left to the process's exit.

Only a C library writing to fds 1 and 2 itself still reaches the JVM's own stdout and stderr:
redirecting those would take the JVM's own output with them.
"""
import io
import os
import sys
import threading
from typing import Optional, Tuple

_pipe: Optional[Tuple[int, int]] = None  # (read, write) once claimed
_stream: Optional[io.TextIOWrapper] = None
# os.pipe() lets go of the GIL, and subtasks may open at once: only one may claim the pipe
# (two Java readers would split lines).
_claim = threading.Lock()


def claim_pipe() -> int:
    """The read end for the caller to pump, or -1 when another caller has it."""
    global _pipe
    with _claim:
        if _pipe is not None:
            return -1
        _pipe = os.pipe()
        return _pipe[0]


def install() -> None:
    """Called once the claimer reads the pipe through a descriptor of its own."""
    global _stream
    read, write = _pipe
    # utf-8 with backslashreplace, line buffered: what Python's own stderr does, so any str
    # prints; .buffer, .fileno() and .isatty() (False) are there for tqdm, click and friends.
    _stream = io.TextIOWrapper(io.BufferedWriter(io.FileIO(write, "w", closefd=False)),
                               encoding="utf-8", errors="backslashreplace",
                               line_buffering=True, write_through=True)
    os.close(read)
    # __stdout__/__stderr__ too: code that "restores" the streams must not put them back on
    # the JVM's own.
    sys.stdout = sys.stderr = sys.__stdout__ = sys.__stderr__ = _stream


def abandon() -> None:
    """The claimer could not read the pipe: keep pemja's streams, let a later caller try."""
    global _pipe
    with _claim:
        if _pipe is not None and _stream is None:
            for fd in _pipe:
                os.close(fd)
            _pipe = None
