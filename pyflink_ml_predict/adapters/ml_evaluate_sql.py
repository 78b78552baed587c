"""FLIP-525's ``ML_EVALUATE`` in SQL text, found and taken apart (no Flink needed).

Flink 2.3 parses ``ML_EVALUATE`` but cannot run it, so ``pyflink-ml-predict run`` rewrites each
call into ML_PREDICT plus the ``ML_EVALUATE_METRICS`` aggregate (``evaluation.py``). This
module only reads the text: where a call starts and ends, and its arguments::

    ML_EVALUATE(TABLE t, MODEL m, DESCRIPTOR(label), DESCRIPTOR(f1, f2)
                [, task => 'classification'] [, MAP['async', 'true']])

Arguments may also be named as in the FLIP (``input =>``, ``model_input =>``, ``label =>``,
``features =>``, ``task =>``, ``config =>``).
"""
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

__all__ = ["EvaluateCall", "find_evaluate_calls"]

_CALL = re.compile(r"\bML_EVALUATE\s*\(", re.IGNORECASE)
_NAMED = re.compile(r"^(\w+)\s*=>\s*(.*)$", re.DOTALL)
_TABLE = re.compile(r"^TABLE\s+(.+)$", re.IGNORECASE | re.DOTALL)
_MODEL = re.compile(r"^MODEL\s+(.+)$", re.IGNORECASE | re.DOTALL)
_DESCRIPTOR = re.compile(r"^DESCRIPTOR\s*\((.*)\)$", re.IGNORECASE | re.DOTALL)
_STRING = re.compile(r"^'((?:[^']|'')*)'$", re.DOTALL)
_MAP = re.compile(r"^MAP\s*\[", re.IGNORECASE)
_POSITIONS = ["input", "model", "label", "features"]
_ALIASES = {"model_input": "model", "config": "map", "data": "input"}


@dataclass
class EvaluateCall:
    """One ``ML_EVALUATE(...)`` call: ``text[start:end]`` is the whole call."""

    start: int
    end: int
    table: str          # as written after TABLE, e.g. `my_data`
    model: str          # as written after MODEL
    label: str          # the one column of the label DESCRIPTOR, as written
    features: List[str]
    task: Optional[str]  # None: the model's 'task' option decides
    map: Optional[str]   # the MAP[...] text, passed on to ML_PREDICT


def find_evaluate_calls(sql: str) -> List[EvaluateCall]:
    """Every ML_EVALUATE call outside quotes and comments, in order.

    >>> [c.label for c in find_evaluate_calls("SELECT * FROM ML_EVALUATE(TABLE t, MODEL m, "
    ...     "DESCRIPTOR(y), DESCRIPTOR(a, b), task => 'regression')")]
    ['y']
    """
    calls = []
    for start in _code_positions(sql, _CALL):
        open_paren = sql.index("(", start)
        end, arguments = _arguments(sql, open_paren)
        calls.append(_parse(sql[start:end], start, end, arguments))
    return calls


def _code_positions(sql: str, pattern) -> List[int]:
    """Starts of ``pattern`` matches that lie outside quotes and comments."""
    masked = _mask(sql)
    return [m.start() for m in pattern.finditer(masked)]


def _mask(sql: str) -> str:
    """The text with quoted strings, identifiers and comments blanked out (same length)."""
    out, i, quote = [], 0, None
    while i < len(sql):
        ch = sql[i]
        if quote:
            out.append(" ")
            if ch == quote:
                quote = None
        elif ch in "'`\"":
            quote = ch
            out.append(" ")
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = len(sql) if end < 0 else end
            out.append(" " * (end - i))
            i = end
            continue
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = len(sql) if end < 0 else end + 2
            out.append(" " * (end - i))
            i = end
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _arguments(sql: str, open_paren: int) -> Tuple[int, List[str]]:
    """(end of the call, its top-level arguments) for the '(' at ``open_paren``."""
    masked = _mask(sql)
    depth, pieces, begin = 0, [], open_paren + 1
    for i in range(open_paren, len(sql)):
        ch = masked[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth == 0:
                pieces.append(sql[begin:i].strip())
                return i + 1, [p for p in pieces if p]
        elif ch == "," and depth == 1:
            pieces.append(sql[begin:i].strip())
            begin = i + 1
    raise ValueError(f"ML_EVALUATE at character {open_paren}: its '(' is never closed")


def _parse(text: str, start: int, end: int, arguments: List[str]) -> EvaluateCall:
    named = {}
    positional = 0
    for argument in arguments:
        match = _NAMED.match(argument)
        if match:
            key = match.group(1).lower()
            key, value = _ALIASES.get(key, key), match.group(2).strip()
        elif _MAP.match(argument):
            key, value = "map", argument
        elif _STRING.match(argument) and positional >= len(_POSITIONS):
            key, value = "task", argument
        elif positional < len(_POSITIONS):
            key, value = _POSITIONS[positional], argument
            positional += 1
        else:
            raise _error(text, f"unexpected argument {argument!r}")
        if key in named:
            raise _error(text, f"the {key} argument is given twice")
        named[key] = value
    missing = [k for k in _POSITIONS if k not in named]
    unknown = sorted(set(named) - set(_POSITIONS) - {"task", "map"})
    if missing or unknown:
        raise _error(text, f"missing {missing}" if missing else f"unknown arguments {unknown}")
    label = _columns(text, "label", named["label"])
    if len(label) != 1:
        raise _error(text, f"DESCRIPTOR of the label must name one column, got {label}")
    task = None
    if "task" in named:
        string = _STRING.match(named["task"])
        if not string:
            raise _error(text, f"the task must be a string literal, got {named['task']}")
        task = string.group(1).replace("''", "'")
    return EvaluateCall(start, end, _after(text, _TABLE, "input", named["input"], "TABLE t"),
                        _after(text, _MODEL, "model", named["model"], "MODEL m"), label[0],
                        _columns(text, "features", named["features"]), task, named.get("map"))


def _after(text: str, pattern, what: str, argument: str, example: str) -> str:
    match = pattern.match(argument)
    if not match:
        raise _error(text, f"the {what} argument must read {example}, got {argument!r}")
    return match.group(1).strip()


def _columns(text: str, what: str, argument: str) -> List[str]:
    match = _DESCRIPTOR.match(argument)
    if not match:
        raise _error(text, f"the {what} argument must be DESCRIPTOR(...), got {argument!r}")
    return [c.strip() for c in match.group(1).split(",") if c.strip()]


def _error(text: str, problem: str) -> ValueError:
    short = " ".join(text.split())
    return ValueError(f"{short[:120]}{'...' if len(short) > 120 else ''}: {problem}")
