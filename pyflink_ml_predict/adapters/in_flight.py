"""The in-flight cap that this project's own tools give their ML_PREDICT queries.

Flink admits at most ``max-concurrent-operations`` rows into ML_PREDICT at once (10 unless the
query's MAP or the session says otherwise), and a batch can only hold rows in flight. A plain SQL
query keeps Flink's cap (the provider says at plan time how to lift it); ``GenericPythonModel
.predict`` and ``pyflink-ml-predict run`` pick a cap for the model when neither the query nor the
session sets one, and say so. The rule itself (twice ``batch-size``: one batch predicted while the
next fills) lives in the provider jar (``io.pyflinkml.predict.InFlightCap``), and so do the
option keys, which are Flink's own.
"""
import logging
from typing import Iterable, Mapping, Optional

__all__ = ["LOG", "cap_for_tools", "query_key", "say_cap", "session_key"]

LOG = logging.getLogger("pyflink_ml_predict")


def _rule():
    from pyflink.java_gateway import get_gateway

    return get_gateway().jvm.io.pyflinkml.predict.InFlightCap


def _options():
    from pyflink.java_gateway import get_gateway

    return get_gateway().jvm.io.pyflinkml.predict.GenericPythonModelOptions


def query_key() -> str:
    """The ML_PREDICT MAP key of the cap (``max-concurrent-operations``)."""
    return _rule().QUERY_OPTION.key()


def session_key() -> str:
    """The session option of the cap (``table.exec.async-ml-predict.max-concurrent-operations``)."""
    return _rule().SESSION_OPTION.key()


def cap_for_tools(t_env, models: Iterable[str], query_map: Optional[Mapping[str, str]] = None,
                  ours: Optional[int] = None) -> Optional[int]:
    """The cap for a query of ``models`` (names as the query writes them) with the ML_PREDICT
    MAP ``query_map``, or None when the query or the session chooses one (a session cap equal
    to ``ours``, which a tool set before, does not count) or no model is a generic-python one."""
    query_map = query_map or {}
    rule = _rule()
    if any(key.strip().lower() == rule.QUERY_OPTION.key() for key in query_map):
        return None
    session = rule.sessionCap(t_env._j_tenv)
    if session > 0 and session != ours:
        return None
    batch_size = query_map.get(_options().BATCH_SIZE.key())
    caps = [rule.forTools(t_env._j_tenv, name.replace("`", ""), batch_size) for name in models]
    best = max(caps, default=-1)
    return best if best > 0 else None


def say_cap(setting: str, models: Iterable[str]) -> str:
    """The note the tools print or log when they pick a cap (``setting``: what they set)."""
    return (f"pyflink-ml-predict: {setting} for model {', '.join(models)}: twice its batch-size,"
            f" so one batch is predicted while the next fills (set '{query_key()}' in the query or"
            f" '{session_key()}' in the session to choose otherwise)")
