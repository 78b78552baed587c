"""Back-pressure: an unthrottled source feeding a model slower than itself, for a while.

    python e2e/reliability/backpressure.py [--seconds 60] [--batch-ms 5]

Flink's async operator admits at most 'max-concurrent-operations' rows, and the provider holds
no more than those, so a slow model slows the source instead of piling rows up in memory. This
runs such a job, samples the resident memory of the JVM and of the Python worker every second,
prints a table, and cancels the job. Exits non-zero if the worker's memory grew by more than
--max-growth-mb over the second half of the run (a leak or an unbounded buffer).
"""
import argparse
import json
import os
import sys
import tempfile
import time

from pyflink.table import EnvironmentSettings, TableEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(seconds: float, batch_ms: float) -> list:
    """Runs the job for `seconds`; returns samples (t, rows, worker MB, JVM MB)."""
    status_file = os.path.join(tempfile.mkdtemp(prefix="backpressure-"), "status.json")
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.get_config().set("parallelism.default", "1")
    t_env.get_config().set("python.executable", sys.executable)
    t_env.execute_sql("CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' = 'datagen',"
                      " 'rows-per-second' = '1000000000', 'fields.text.length' = '12')")
    t_env.execute_sql("CREATE TEMPORARY TABLE sink (text STRING, label STRING)"
                      " WITH ('connector' = 'blackhole')")
    t_env.execute_sql(f"""
        CREATE TEMPORARY MODEL slow INPUT (text STRING) OUTPUT (label STRING) WITH (
          'provider' = 'generic-python',
          'model-directory-path' = '{os.path.join(HERE, "model")}',
          'python-predict-class' = 'slow.SlowUpper',
          'properties.batch-ms' = '{batch_ms}',
          'properties.status-file' = '{status_file}')""")
    job = t_env.execute_sql("INSERT INTO sink SELECT text, label FROM ML_PREDICT(TABLE src,"
                            " MODEL slow, DESCRIPTOR(text))")
    samples = []
    try:
        while not os.path.exists(status_file):
            time.sleep(0.1)
        start = time.time()
        while time.time() - start < seconds:
            time.sleep(1)
            with open(status_file) as f:
                status = json.load(f)
            samples.append((time.time() - start, status["rows"], rss_mb(status["pid"]),
                            rss_mb(status["jvm_pid"])))
    finally:
        job.get_job_client().cancel().result()
    return samples


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--batch-ms", type=float, default=5)
    parser.add_argument("--max-growth-mb", type=float, default=20)
    args = parser.parse_args(argv)
    samples = run(args.seconds, args.batch_ms)
    print(f"{'s':>5} {'rows done':>10} {'rows/s':>8} {'worker MB':>10} {'JVM MB':>8}")
    previous = (0.0, 0)
    for t, rows, worker, jvm in samples:
        rate = (rows - previous[1]) / max(t - previous[0], 1e-9)
        previous = (t, rows)
        print(f"{t:5.0f} {rows:10d} {rate:8.0f} {worker:10.1f} {jvm:8.1f}")
    half = samples[len(samples) // 2:]
    worker_growth = max(s[2] for s in half) - half[0][2]
    jvm_growth = max(s[3] for s in half) - half[0][3]
    print(f"\npeak worker {max(s[2] for s in samples):.0f} MB, peak JVM"
          f" {max(s[3] for s in samples):.0f} MB; growth over the second half: worker"
          f" {worker_growth:+.1f} MB, JVM {jvm_growth:+.1f} MB")
    return 0 if worker_growth <= args.max_growth_mb and samples[-1][1] > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
