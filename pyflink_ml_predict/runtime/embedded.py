"""Entry points for the ``thread`` execution mode: Java calls these through pemja.

Each Java function instance owns one session id; all calls for it come from its owner thread.
"""
from typing import Dict

from .session import ModelSession

_sessions: Dict[str, ModelSession] = {}


def handle(session_id: str, message: bytes) -> bytes:
    session = _sessions.get(session_id)
    if session is None:
        session = _sessions[session_id] = ModelSession()
    return session.handle(bytes(message))


def discard(session_id: str) -> None:
    session = _sessions.pop(session_id, None)
    if session is not None:
        session.close()
