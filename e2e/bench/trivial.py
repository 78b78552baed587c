"""Whole-job wall time of a trivial model over datagen rows into blackhole, side by side.

    python e2e/bench/trivial.py [--rows N] [--repeat R]

Variants: the Java-only query (the floor), and ML_PREDICT with the provider's defaults and
with a raised in-flight cap, in process and thread mode. Each variant runs in a fresh Python
process (so a fresh local mini-cluster); the table shows the best of R runs and the ratio to
the Java-only query.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

SOURCE = """CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' = 'datagen',
  'number-of-rows' = '{rows}', 'rows-per-second' = '100000000', 'fields.text.length' = '12')"""
SINK = "CREATE TEMPORARY TABLE sink (n INT, upper_text STRING) WITH ('connector' = 'blackhole')"
MODEL = """CREATE TEMPORARY MODEL m INPUT (text STRING) OUTPUT (n INT, upper_text STRING) WITH (
  'provider' = 'generic-python', 'model-directory-path' = '{model_dir}',
  'python-predict-class' = 'trivial.Trivial', 'execution-mode' = '{mode}')"""

VARIANTS = {
    "java-only SQL": "INSERT INTO sink SELECT CHAR_LENGTH(text), UPPER(text) FROM src",
    "ML_PREDICT process (defaults)":
        "INSERT INTO sink SELECT n, upper_text FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(text))",
    "ML_PREDICT thread (defaults)":
        "INSERT INTO sink SELECT n, upper_text FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(text))",
    "ML_PREDICT process (cap 1024)":
        "INSERT INTO sink SELECT n, upper_text FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(text),"
        " MAP['max-concurrent-operations', '1024', 'batch-size', '1024'])",
    "ML_PREDICT thread (cap 1024)":
        "INSERT INTO sink SELECT n, upper_text FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(text),"
        " MAP['max-concurrent-operations', '1024', 'batch-size', '1024'])",
}


def run_one(name: str, rows: int) -> float:
    """Runs one variant in this process; returns the job's wall time in seconds."""
    from pyflink.table import EnvironmentSettings, TableEnvironment

    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.get_config().set("parallelism.default", "1")
    t_env.execute_sql(SOURCE.format(rows=rows))
    t_env.execute_sql(SINK)
    mode = "thread" if "thread" in name else "process"
    t_env.execute_sql(MODEL.format(model_dir=os.path.join(HERE, "model"), mode=mode))
    start = time.perf_counter()
    t_env.execute_sql(VARIANTS[name]).wait()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(run_one(args.only, args.rows))
        return
    results = {}
    for name in VARIANTS:
        times = []
        for _ in range(args.repeat):
            out = subprocess.run([sys.executable, __file__, "--rows", str(args.rows),
                                  "--only", name], capture_output=True, text=True, check=True)
            times.append(float(out.stdout.strip().splitlines()[-1]))
        results[name] = min(times)
        print(f"  {name}: {', '.join(f'{t:.1f}' for t in times)} s", file=sys.stderr)
    floor = results["java-only SQL"]
    print(f"\n{args.rows:,} rows, parallelism 1, best of {args.repeat}, {os.cpu_count()} cores\n")
    print(f"| variant | wall s | rows/s | x java-only |\n|---|---:|---:|---:|")
    for name, seconds in results.items():
        print(f"| {name} | {seconds:.1f} | {args.rows / seconds:,.0f} | {seconds / floor:.2f} |")


if __name__ == "__main__":
    main()
