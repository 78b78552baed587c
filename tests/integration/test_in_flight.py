"""Batching under Flink's in-flight cap: half batches pipelined, whole ones for vectorized
classes, the plan-time advice, and the cap that this project's own tools pick."""
import logging
import subprocess
import sys

import pytest

from flink_jobs import collect, create_model
from paths import MODELS
from pyflink_ml_predict import GenericPythonModel
from pyflink_ml_predict.adapters.in_flight import session_key

ROWS = 1000


def source(t_env, rows=ROWS, rate=1_000_000_000):
    t_env.execute_sql(f"""CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' = 'datagen',
        'number-of-rows' = '{rows}', 'rows-per-second' = '{rate}')""")


def sizes(t_env, sql):
    values = [n for (n,) in collect(t_env, sql)]
    assert len(values) == ROWS
    return values


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_at_flinks_default_cap_row_batches_are_halves_and_vectorized_ones_whole(stream_env, mode):
    source(stream_env)
    create_model(stream_env, "rows_m", "text STRING", "n INT", "basic.BatchSize",
                 **{"execution-mode": mode})
    create_model(stream_env, "cols_m", "text STRING", "n INT", "basic.BatchSizeColumns",
                 **{"execution-mode": mode})
    rows = sizes(stream_env, "SELECT n FROM ML_PREDICT(TABLE src, MODEL rows_m, DESCRIPTOR(text))")
    assert max(rows) == 5 and rows.count(5) > ROWS // 2  # one half predicted, one filling
    columns = sizes(stream_env, "SELECT n FROM ML_PREDICT(TABLE src, MODEL cols_m,"
                                " DESCRIPTOR(text))")
    assert max(columns) == 10 and columns.count(10) > ROWS // 2  # the whole cap


def test_the_plan_time_advice_names_the_model_the_cap_and_the_set_statement():
    from pyflink.java_gateway import get_gateway

    rule = get_gateway().jvm.io.pyflinkml.predict.InFlightCap
    advice = rule.advice("cat.db.m", 10, 256)
    assert advice.startswith("Model 'cat.db.m': ML_PREDICT keeps at most 10 rows in flight")
    assert "SET 'table.exec.async-ml-predict.max-concurrent-operations' = '512';" in advice
    assert "MAP['max-concurrent-operations', '512']" in advice
    assert rule.advice("m", 512, 256) is None


def test_table_api_predict_picks_twice_batch_size_and_says_so(stream_env, caplog):
    source(stream_env)
    model = GenericPythonModel(MODELS, "basic.BatchSize", "text STRING", "n INT",
                               options={"batch-size": "64"})
    with caplog.at_level(logging.INFO, logger="pyflink_ml_predict"):
        table = model.predict(stream_env, stream_env.from_path("src"), ["text"])
    assert "MAP['max-concurrent-operations', '128'] for model" in caplog.text
    picked = [n for (_, n) in collect_table(table)]
    assert max(picked) == 64 and len(picked) == ROWS
    # The user's own cap, in the query or the session, is kept.
    mapped = model.predict(stream_env, stream_env.from_path("src"), ["text"],
                           {"max-concurrent-operations": "20"})
    assert max(n for (_, n) in collect_table(mapped)) == 10
    stream_env.get_config().set(session_key(), "12")
    session = model.predict(stream_env, stream_env.from_path("src"), ["text"])
    assert max(n for (_, n) in collect_table(session)) == 6


def collect_table(table):
    with table.execute().collect() as results:
        return [tuple(row) for row in results]


def test_cli_run_sets_the_cap_for_its_models_and_says_so(tmp_path):
    script = tmp_path / "job.sql"
    script.write_text(f"""
CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' = 'datagen',
  'number-of-rows' = '{ROWS}', 'rows-per-second' = '1000000000');
CREATE TEMPORARY MODEL m INPUT (text STRING) OUTPUT (n INT) WITH ('provider' = 'generic-python',
  'model-directory-path' = '{MODELS}', 'python-predict-class' = 'basic.BatchSize',
  'batch-size' = '32');
SELECT MAX(n) AS biggest FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(text));
""")
    done = subprocess.run([sys.executable, "-m", "pyflink_ml_predict", "run", str(script),
                           "--streaming"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (f"SET '{session_key()}' = '64' for model m: twice its batch-size" in done.stderr)
    assert done.stdout.split()[-1] == "32"
    # A script that sets the cap itself keeps it, and nothing is said.
    script.write_text(f"SET '{session_key()}' = '8';\n" + script.read_text())
    done = subprocess.run([sys.executable, "-m", "pyflink_ml_predict", "run", str(script),
                           "--streaming"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "twice its batch-size" not in done.stderr
    assert done.stdout.split()[-1] == "4"


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_pipelined_batches_keep_every_row_in_order(stream_env, mode):
    stream_env.execute_sql("""CREATE TEMPORARY TABLE ids (id BIGINT) WITH ('connector' =
        'datagen', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',
        'fields.id.end' = '4000')""")
    create_model(stream_env, "m", "id BIGINT", "twice BIGINT", "basic.Twice",
                 **{"execution-mode": mode})
    rows = collect(stream_env, "SELECT id, twice FROM ML_PREDICT(TABLE ids, MODEL m,"
                               " DESCRIPTOR(id))")
    assert rows == [(i, 2 * i) for i in range(1, 4001)]  # collect() is slow per row in py4j


def test_a_batch_nobody_waits_for_is_still_collected(stream_env):
    """Rows trickle in: each batch is sent by size, below the cap, and the input then pauses
    (a batch timeout of an hour never fires): the answers must still come back."""
    source(stream_env, rows=40, rate=20)
    create_model(stream_env, "m", "text STRING", "n INT", "basic.BatchSize",
                 **{"batch-timeout": "1 h", "batch-size": "4"})
    values = [n for (n,) in collect(stream_env, "SELECT n FROM ML_PREDICT(TABLE src, MODEL m,"
                                                " DESCRIPTOR(text))")]
    assert len(values) == 40 and max(values) == 4
    assert all(values.count(n) % n == 0 for n in set(values))  # whole batches, each answered
