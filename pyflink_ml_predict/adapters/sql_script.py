"""SQL scripts as the CLI and the examples run them: statements split on ';' outside quotes
and comments, ``SET 'key' = 'value'`` lines, and which statements return rows."""
import re
from typing import List, Optional, Tuple

__all__ = ["is_query", "parse_set", "split_statements"]

_QUERY = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW|EXPLAIN|DESCRIBE|DESC)\b", re.IGNORECASE)
_SET = re.compile(r"^SET\s+'([^']+)'\s*=\s*'([^']*)'$", re.IGNORECASE)


def split_statements(script: str) -> List[str]:
    """Splits a SQL script on ';' outside quotes, ``-- line`` and ``/* block */`` comments.
    Line comments are dropped; block comments stay, for Flink's hints (``/*+ OPTIONS(...) */``)
    are block comments; a statement of nothing but comments is dropped. A quote doubled inside
    a string (``'it''s'``) stays in it.

    >>> split_statements("SELECT /*+ OPTIONS('a'='b') */ 'a;b' /* c; d */; -- e; f\\nSELECT 2;")
    ["SELECT /*+ OPTIONS('a'='b') */ 'a;b' /* c; d */", 'SELECT 2']
    """
    statements: List[str] = []
    current: List[str] = []
    has_code, quote, i = False, None, 0

    def end_statement():
        if has_code:
            statements.append("".join(current).strip())
        current.clear()

    while i < len(script):
        ch = script[i]
        if quote:
            current.append(ch)
            if ch == quote:
                quote = None
        elif ch in ("'", "`", '"'):
            quote, has_code = ch, True
            current.append(ch)
        elif script.startswith("--", i):
            end = script.find("\n", i)
            i = len(script) if end < 0 else end
            continue
        elif script.startswith("/*", i):
            end = script.find("*/", i + 2)
            if end < 0:
                raise ValueError(f"unterminated /* comment at character {i} of the script")
            current.append(script[i:end + 2])
            i = end + 2
            continue
        elif ch == ";":
            end_statement()
            has_code = False
        else:
            current.append(ch)
            has_code = has_code or not ch.isspace()
        i += 1
    if quote:
        raise ValueError(f"unterminated {quote} quote in the script's last statement")
    end_statement()
    return statements


def parse_set(statement: str) -> Optional[Tuple[str, str]]:
    """``(key, value)`` of a ``SET 'key' = 'value'`` statement, else None."""
    match = _SET.match(statement)
    return (match.group(1), match.group(2)) if match else None


def is_query(statement: str) -> bool:
    """Whether the statement returns rows to print (SELECT, WITH, SHOW, EXPLAIN, ...)."""
    return bool(_QUERY.match(statement))
