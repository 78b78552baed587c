"""One PredictFunction everywhere: the demo's LexiconSentiment class through the Table API,
as a plain PyFlink UDTF, without Flink with the types a job sees, and from ``pyflink-ml-predict
run`` (tests/unit/test_local_runner.py has the rest of the no-Flink side)."""
import subprocess
import sys

import pytest
from pyflink.table import DataTypes
from pyflink.table.expressions import col

from flink_jobs import collect, new_table_env
from paths import DEMO_MODEL as DEMO, MODELS
from pyflink_ml_predict import GenericPythonModel, as_udtf, load_predict_function

CLASS = "lexicon_sentiment.LexiconSentiment"
REVIEWS = [("I love this movie",), ("a terrible, boring film",)]
EXPECTED = [("I love this movie", "positive", 2.0), ("a terrible, boring film", "negative", -1.75)]


def demo_model(**options):
    return GenericPythonModel(
        model_directory=DEMO, predict_class=CLASS,
        input_schema=[("review", DataTypes.STRING())], output_schema="label STRING, score FLOAT",
        properties={"threshold": "0"}, options=options)


# -- 1. Table API -------------------------------------------------------------------------------

@pytest.mark.parametrize("config", [None, {"async": "false"}, {"batch-size": "1"}])
def test_table_api_predict_returns_a_table_of_inputs_and_outputs(config):
    t_env = new_table_env()
    reviews = t_env.from_elements(REVIEWS, ["review"])
    result = demo_model().predict(t_env, reviews, ["review"], config)
    assert result.get_schema().get_field_names() == ["review", "label", "score"]
    assert sorted(tuple(r) for r in result.execute().collect()) == EXPECTED


def test_table_api_register_then_sql_and_options_pass_through():
    t_env = new_table_env(streaming=True)
    demo_model(**{"execution-mode": "thread"}).register(t_env, "sentiment")
    t_env.create_temporary_view("reviews", t_env.from_elements(REVIEWS, ["review"]))
    rows = collect(t_env, "SELECT review, label, score FROM ML_PREDICT(TABLE reviews,"
                          " MODEL sentiment, DESCRIPTOR(review))")
    assert sorted(rows) == EXPECTED


def test_table_api_errors_name_the_columns_and_the_option():
    t_env = new_table_env()
    reviews = t_env.from_elements(REVIEWS, ["review"])
    with pytest.raises(ValueError, match=r"the table has no columns \['text'\]"):
        demo_model().predict(t_env, reviews, ["text"])
    with pytest.raises(ValueError, match="takes 1 INPUT columns"):
        demo_model().predict(t_env, reviews, ["review", "review"])
    with pytest.raises(Exception, match="batch-sise"):
        demo_model(**{"batch-sise": "3"}).predict(t_env, reviews, ["review"]).execute()


# -- 2. a plain PyFlink UDTF --------------------------------------------------------------------

@pytest.mark.parametrize("python_mode", ["process", "thread"])
def test_configured_instance_runs_as_a_pyflink_udtf(python_mode):
    t_env = new_table_env()
    t_env.get_config().set("python.execution-mode", python_mode)
    with load_predict_function(DEMO, CLASS, "review STRING", "label STRING, score FLOAT",
                               {"threshold": "0"}) as local:
        sentiment = as_udtf(local.function)
    reviews = t_env.from_elements(REVIEWS, ["review"])
    lateral = reviews.join_lateral(sentiment(col("review")).alias("label", "score"))
    assert sorted(tuple(r) for r in lateral.execute().collect()) == EXPECTED
    t_env.create_temporary_function("sentiment", sentiment)
    t_env.create_temporary_view("reviews", reviews)
    # Not all columns: Flink 2.3's batch planner fails on an identity projection here.
    rows = collect(t_env, "SELECT review, label FROM reviews,"
                          " LATERAL TABLE(sentiment(review)) AS T(label, score)")
    assert sorted(rows) == [row[:2] for row in EXPECTED]


# -- 3. without Flink (the rest of it is in tests/unit/test_local_runner.py) -------------------


def test_local_conversions_are_the_ones_inside_flink():
    """The same Python types as test_types.py sees inside a job."""
    import datetime
    from decimal import Decimal

    from test_types import TYPES

    values = [True, -7, 300, -2147483648, 9223372036854775807, 1.5, -2.25e300,
              Decimal("123456789.125"), "ab ", "héllo", b"\n\xff", b"\x00\x01",
              datetime.date(2024, 2, 29), datetime.time(23, 59, 58),
              datetime.datetime(2024, 1, 2, 3, 4, 5, 678000),
              datetime.datetime(1969, 7, 20, 20, 17, 40, 123456),
              datetime.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=datetime.timezone.utc),
              [1, 2, 3], {"k": 0.5}, {"a": 1, "b": "x"}, [{"x": 1.0, "tags": ["p", "q"]}]]
    inputs = [(name, sql_type) for name, sql_type, _, _ in TYPES]
    outputs = [("py_types", "STRING")] + [("o_" + name, t) for name, t in inputs]
    with load_predict_function(MODELS, "types_echo.Echo", inputs, outputs) as model:
        (result,) = model.predict(values)
    assert result.py_types.split("|") == [expected for _, _, _, expected in TYPES]
    assert list(result)[1:8] == values[:7]


# -- 4. the command line (``check`` and ``jar``, which need no JVM, are in the unit tier) -----

def cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "pyflink_ml_predict", *args],
                          capture_output=True, text=True, timeout=timeout)


def test_cli_run_executes_a_sql_script_and_prints_results(tmp_path):
    script = tmp_path / "job.sql"
    script.write_text(f"""
-- the demo model over two reviews; a ';' inside a string must not split statements
CREATE TEMPORARY VIEW reviews AS SELECT * FROM (VALUES ('I love this movie'),
  ('a terrible, boring film; really')) AS T(review);
CREATE TEMPORARY MODEL m INPUT (review STRING) OUTPUT (label STRING, score FLOAT) WITH (
  'provider' = 'generic-python', 'model-directory-path' = '{DEMO}',
  'python-predict-class' = '{CLASS}');
CREATE TEMPORARY TABLE sink (review STRING, label STRING) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT review, label FROM ML_PREDICT(TABLE reviews, MODEL m, DESCRIPTOR(review));
SELECT review, label FROM ML_PREDICT(TABLE reviews, MODEL m, DESCRIPTOR(review));
""")
    done = cli("run", str(script))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "I love this movie\tpositive" in done.stdout
    assert "a terrible, boring film; really\tnegative" in done.stdout
    assert "[4/5] INSERT INTO sink" in done.stderr and "finished in" in done.stderr
    assert "(2 rows in" in done.stderr


def test_cli_run_reports_the_failing_statement(tmp_path):
    script = tmp_path / "bad.sql"
    script.write_text("SELECT * FROM no_such_table;")
    done = cli("run", str(script))
    assert done.returncode == 1 and "statement 1" in done.stderr and "no_such_table" in done.stderr


