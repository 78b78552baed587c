"""``pyflink-ml-predict``: check a model directory, run a SQL script, print the jar's path.

    pyflink-ml-predict check MODEL_DIR --class mod.Cls [--input "text STRING"] [--output ...]
                             [--property key=value ...] [--row JSON]
    pyflink-ml-predict run FILE.sql [--streaming] [--parallelism N]   (SET 'k' = 'v' lines apply;
                             ML_EVALUATE(...) calls run as ML_PREDICT plus ML_EVALUATE_METRICS)
    pyflink-ml-predict jar
"""
import argparse
import datetime
import decimal
import json
import re
import sys
import time
from typing import Any, List, Optional, Sequence

from ..jar import add_jar_to_session, jar_path
from .evaluation import rewrite_ml_evaluate
from .in_flight import cap_for_tools, query_key, say_cap, session_key
from .sql_script import is_query, parse_set, split_statements

__all__ = ["main"]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="pyflink-ml-predict", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="load and open a model class, run one sample row"
                                " (no Flink, no JVM)")
    check.add_argument("model_dir")
    check.add_argument("--class", dest="predict_class", required=True,
                       help="python-predict-class, 'module.Class'")
    check.add_argument("--input", help="INPUT columns, e.g. 'text STRING'; without it the class"
                       " is only loaded and opened")
    check.add_argument("--output", help="OUTPUT columns, e.g. 'label STRING, score FLOAT';"
                       " without it results are shown unchecked")
    check.add_argument("--property", action="append", default=[], metavar="KEY=VALUE",
                       help="a properties.* option (repeatable)")
    check.add_argument("--row", help="the sample input row as JSON (object or array);"
                       " default: a value made up per INPUT type")

    run = commands.add_parser("run", help="run a SQL script on embedded local Flink, or on a"
                              " cluster named by SET 'execution.target' = 'remote' and"
                              " SET 'rest.address'/'rest.port'; ML_EVALUATE(...) runs as"
                              " ML_PREDICT plus the ML_EVALUATE_METRICS aggregate")
    run.add_argument("file")
    run.add_argument("--streaming", action="store_true", help="streaming mode (default batch)")
    run.add_argument("--parallelism", type=int, default=1)

    commands.add_parser("jar", help="print the path of the provider jar for the installed Flink")

    args = parser.parse_args(argv)
    if args.command == "jar":
        return _jar()
    if args.command == "check":
        return _check(args)
    return _run(args)


def _jar() -> int:
    from pyflink.version import __version__ as flink_version

    try:
        path = jar_path()
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(path)
    print(f"(for Flink {flink_version}, the installed apache-flink; one jar serves Flink 2.1 to"
          " 2.3)", file=sys.stderr)
    return 0


# -- check ------------------------------------------------------------------------------------

def _check(args) -> int:
    from ..sql_types import parse_columns
    from .local import load_predict_function

    try:
        properties = dict(_key_value(p) for p in args.property)
        inputs = parse_columns(args.input) if args.input else []
        outputs = parse_columns(args.output) if args.output else []
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        model = load_predict_function(args.model_dir, args.predict_class, inputs, outputs,
                                      properties, model_name="check")
    except Exception as e:
        print(f"FAILED to load and open {args.predict_class}:\n{e}", file=sys.stderr)
        return 1
    with model:
        print(f"ok: {args.predict_class} loaded from {model.config.model_directory} and opened")
        if not inputs:
            print("(give --input to run a sample row)")
            return 0
        row = _sample_row(inputs, args.row)
        print(f"input:  {row}")
        try:
            if outputs:
                results = model.predict(row)
            else:
                results = model.function.predict(model.input_rows([row])[0])
                print("(no --output given: results are not checked against a schema)")
        except Exception as e:
            print(f"FAILED on the sample row:\n{e}", file=sys.stderr)
            return 1
        print(f"output: {results}")
    return 0


def _key_value(text: str):
    key, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"--property wants KEY=VALUE, got {text!r}")
    return key, value


def _sample_row(columns, given: Optional[str]):
    if given:
        value = json.loads(given)
        if isinstance(value, list):
            value = dict(zip((c.name for c in columns), value))
        return value
    return {c.name: _sample(c.type) for c in columns}


def _sample(t) -> Any:
    root = t.root
    samples = {
        "BOOLEAN": True, "TINYINT": 1, "SMALLINT": 1, "INTEGER": 1, "BIGINT": 1, "FLOAT": 0.5,
        "DOUBLE": 0.5, "CHAR": "a", "VARCHAR": "sample text", "BINARY": b"\x00",
        "VARBINARY": b"\x00\x01", "DATE": datetime.date(2024, 1, 1),
        "TIME_WITHOUT_TIME_ZONE": datetime.time(12, 0),
        "TIMESTAMP_WITHOUT_TIME_ZONE": datetime.datetime(2024, 1, 1, 12, 0),
        "TIMESTAMP_WITH_LOCAL_TIME_ZONE": datetime.datetime(2024, 1, 1, 12, 0,
                                                            tzinfo=datetime.timezone.utc),
    }
    if root in samples:
        return samples[root]
    if root == "DECIMAL":
        return decimal.Decimal(1).scaleb(-t.scale) if t.scale else decimal.Decimal(1)
    if root == "ARRAY":
        return [_sample(t.element)]
    if root == "MAP":
        return {_sample(t.key): _sample(t.value)}
    if root == "ROW":
        return {f.name: _sample(f.type) for f in t.fields}
    return None


# -- run --------------------------------------------------------------------------------------

def _run(args) -> int:
    from pyflink.table import EnvironmentSettings, TableEnvironment

    try:
        with open(args.file, encoding="utf-8") as f:
            statements = split_statements(f.read())
    except (OSError, ValueError) as e:
        print(f"error: {args.file}: {e}", file=sys.stderr)
        return 2
    settings = (EnvironmentSettings.in_streaming_mode() if args.streaming
                else EnvironmentSettings.in_batch_mode())
    t_env = TableEnvironment.create(settings)
    if add_jar_to_session(t_env):
        print(f"pipeline.jars += {jar_path()} (this Flink's lib/ lacks it)", file=sys.stderr)
    t_env.get_config().set("parallelism.default", str(args.parallelism))
    t_env.get_config().set("python.executable", sys.executable)
    picked: List[int] = []  # the cap this run set in the session, if any
    for number, statement in enumerate(statements, 1):
        lines = statement.splitlines()
        more = " ..." if len(lines) > 1 else ""
        print(f"[{number}/{len(statements)}] {lines[0]}{more}", file=sys.stderr)
        try:
            setting = parse_set(statement)
            if setting:  # PyFlink's execute_sql does not take SET; apply it to the config
                t_env.get_config().set(*setting)
                print("OK", file=sys.stderr)
                continue
            rewritten = rewrite_ml_evaluate(t_env, statement)
            if rewritten != statement:  # Flink 2.3 parses ML_EVALUATE but cannot run it
                statement = rewritten
                print(f"  ML_EVALUATE runs as: {statement}", file=sys.stderr)
            _pick_cap(t_env, statement, picked)
            result = t_env.execute_sql(statement)
            if is_query(statement):
                _print_rows(result)
            elif result.get_job_client() is not None:
                _wait_with_progress(result)
            else:
                print("OK", file=sys.stderr)
        except Exception as e:
            print(f"FAILED: statement {number}:\n{_short_error(e)}", file=sys.stderr)
            return 1
    return 0


_MODEL = re.compile(r"\bMODEL\s+((?:`[^`]+`|[\w$]+)(?:\s*\.\s*(?:`[^`]+`|[\w$]+))*)",
                    re.IGNORECASE)


def _pick_cap(t_env, statement: str, picked: List[int]) -> None:
    """Before an ML_PREDICT statement when neither its MAP nor the script sets an in-flight
    cap: the session's cap becomes twice the largest batch-size of its generic-python models
    (the rule is the provider's), and the run says so on stderr."""
    if "ML_PREDICT" not in statement.upper() or query_key() in statement.lower():
        return
    models = [re.sub(r"\s+", "", m) for m in _MODEL.findall(statement)]
    ours = picked[-1] if picked else None
    cap = cap_for_tools(t_env, models, ours=ours)
    if cap is None or (ours is not None and cap <= ours):
        return
    t_env.get_config().set(session_key(), str(cap))
    print(say_cap(f"SET '{session_key()}' = '{cap}'", models), file=sys.stderr)
    picked.append(cap)


def _print_rows(result) -> None:
    names = result.get_table_schema().get_field_names()
    print("\t".join(names))
    count, started, last = 0, time.monotonic(), time.monotonic()
    with result.collect() as rows:
        for row in rows:
            print("\t".join("NULL" if v is None else str(v) for v in row), flush=True)
            count += 1
            if time.monotonic() - last > 5:
                last = time.monotonic()
                print(f"  ... {count} rows, {last - started:.0f} s", file=sys.stderr)
    print(f"({count} rows in {time.monotonic() - started:.1f} s)", file=sys.stderr)


def _wait_with_progress(result, every_ms: int = 2000) -> None:
    started = time.monotonic()
    job_id = result.get_job_client().get_job_id()
    while True:
        try:
            result.wait(every_ms)
            break
        except Exception as e:
            if "TimeoutException" not in str(e):
                raise
            print(f"  job {job_id} running, {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(f"  job {job_id} finished in {time.monotonic() - started:.1f} s", file=sys.stderr)


def _short_error(error: Exception) -> str:
    """The most specific cause of a Java exception, with our own messages kept whole."""
    text = str(error)
    causes = re.findall(r"Caused by: ([^\n]+(?:\n(?!\s+at |Caused by)[^\n]*)*)", text)
    return causes[-1].strip() if causes else text.strip()


if __name__ == "__main__":
    sys.exit(main())
