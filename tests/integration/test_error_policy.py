"""error-handling-strategy, retry-num and retry-fallback-strategy, with Flink's names and
meanings: a failing row fails the job, is retried, or is skipped, and never harms the other rows
of its batch. Every test runs a real ML_PREDICT job."""
import pytest

from flink_jobs import collect, create_model, new_table_env

WORDS = "SELECT * FROM (VALUES ('good'), ('bad'), ('fine')) AS T(text)"


def _run(t_env, predict_class, output="label STRING, score FLOAT", map_arg="", **options):
    t_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(t_env, "m", "text STRING", output, predict_class, **options)
    return sorted(collect(t_env, "SELECT * FROM ML_PREDICT(TABLE words, MODEL m,"
                                 f" DESCRIPTOR(text){map_arg})"), key=str)


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_ignore_drops_the_failing_row_and_keeps_its_batch_neighbours(mode):
    rows = _run(new_table_env(), "failing.RaisesOnBad",
                **{"error-handling-strategy": "ignore", "execution-mode": mode})
    assert rows == [("fine", "fine", 1.0), ("good", "good", 1.0)]


def test_ignore_fills_the_declared_error_string_column(batch_env):
    rows = _run(batch_env, "failing.RaisesOnBad",
                output="label STRING, score FLOAT, `error-string` STRING",
                **{"error-handling-strategy": "IGNORE"})
    assert rows == [("bad", None, None, "ValueError: cannot score the word bad"),
                    ("fine", "fine", 1.0, None), ("good", "good", 1.0, None)]


def test_a_failing_vectorized_batch_is_rerun_row_by_row(batch_env):
    rows = _run(batch_env, "failing.RaisesOnBadBatch",
                output="`error-string` STRING, label STRING, score FLOAT",
                **{"error-handling-strategy": "ignore"})
    assert rows == [("bad", "ValueError: cannot score the word bad", None, None),
                    ("fine", None, "FINE", 4.0), ("good", None, "GOOD", 4.0)]


def test_retry_cures_a_transient_error(batch_env):
    rows = _run(batch_env, "failing.FailsFirstTry",
                **{"error-handling-strategy": "retry", "retry-num": "1"})
    assert rows == [("bad", "bad", 1.0), ("fine", "fine", 1.0), ("good", "good", 1.0)]


def test_failover_is_the_default(batch_env):
    with pytest.raises(Exception, match="ConnectionError: flaky backend"):
        _run(batch_env, "failing.FailsFirstTry")


def test_retries_used_up_fail_the_job_by_default(batch_env):
    with pytest.raises(Exception) as excinfo:
        _run(batch_env, "failing.RaisesOnBad", **{"error-handling-strategy": "retry"})
    message = str(excinfo.value)
    assert "cannot score the word bad" in message and "failed 4 times" in message
    assert "Python traceback" in message


def test_retries_used_up_then_ignore(batch_env):
    rows = _run(batch_env, "failing.RaisesOnBad",
                output="label STRING, score FLOAT, `error-string` STRING",
                **{"error-handling-strategy": "retry", "retry-num": "2",
                   "retry-fallback-strategy": "ignore"})
    assert rows[0] == ("bad", None, None, "ValueError: cannot score the word bad")
    assert len(rows) == 3


def test_the_query_map_overrides_the_policy(batch_env):
    rows = _run(batch_env, "failing.RaisesOnBad",
                map_arg=", MAP['error-handling-strategy', 'ignore']")
    assert [r[0] for r in rows] == ["fine", "good"]


def test_streaming_async_ignore_keeps_every_good_row():
    t_env = new_table_env(streaming=True)
    t_env.execute_sql("CREATE TEMPORARY TABLE src (n INT) WITH ('connector' = 'datagen',"
                      " 'number-of-rows' = '500', 'fields.n.kind' = 'sequence',"
                      " 'fields.n.start' = '1', 'fields.n.end' = '500')")
    t_env.execute_sql("CREATE TEMPORARY VIEW words AS SELECT n, IF(MOD(n, 7) = 0, 'bad',"
                      " CAST(n AS STRING)) AS text FROM src")
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT, `error-string` STRING",
                 "failing.RaisesOnBad", **{"error-handling-strategy": "ignore"})
    rows = collect(t_env, "SELECT n, label, `error-string` FROM ML_PREDICT(TABLE words, MODEL m,"
                          " DESCRIPTOR(text))")
    assert sorted(r[0] for r in rows) == list(range(1, 501))
    for n, label, error in rows:
        assert (label, error) == ((None, "ValueError: cannot score the word bad") if n % 7 == 0
                                  else (str(n), None))


# -- plan time ------------------------------------------------------------------------------


@pytest.mark.parametrize("options, expected", [
    ({"error-handling-strategy": "skip"}, "error-handling-strategy"),
    ({"error-handling-strategy": "retry", "retry-num": "-1"}, "'retry-num' of model"),
    ({"retry-fallback-strategy": "retry"}, "retry-fallback-strategy"),
])
def test_bad_policy_options_are_named_at_plan_time(batch_env, options, expected):
    batch_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(batch_env, "m", "text STRING", "label STRING, score FLOAT",
                 "failing.RaisesOnBad", **options)
    with pytest.raises(Exception, match=expected):
        batch_env.explain_sql("SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))")


def test_error_string_column_must_be_a_string(batch_env):
    batch_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(batch_env, "m", "text STRING", "label STRING, `error-string` INT",
                 "failing.RaisesOnBad")
    with pytest.raises(Exception, match="`error-string` of model .* must be a nullable STRING"):
        batch_env.explain_sql("SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))")


def test_not_null_outputs_beside_an_error_string_are_refused_at_plan_time(batch_env):
    """A skipped row has NULL in every model column, which a NOT NULL column cannot hold."""
    batch_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(batch_env, "m", "text STRING", "label STRING NOT NULL, `error-string` STRING",
                 "failing.RaisesOnBad")
    with pytest.raises(Exception, match="OUTPUT column `label` of model .* is NOT NULL"):
        batch_env.explain_sql("SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))")
