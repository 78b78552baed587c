"""What a user sees when something is wrong: plan-time errors name the option, column or path;
run-time errors name the model, the class and the row, and carry the Python traceback."""
import pytest

from flink_jobs import assert_workers_gone, collect, create_model, new_table_env
from paths import MODELS

WORDS = "SELECT * FROM (VALUES ('good'), ('bad')) AS T(text)"
QUERY = "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text){map})"


def _fail(t_env, predict_class=None, output="label STRING, score FLOAT", map_arg="",
          input_schema="text STRING", **options):
    t_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    if predict_class is not None:
        create_model(t_env, "m", input_schema, output, predict_class, **options)
    with pytest.raises(Exception) as excinfo:
        collect(t_env, QUERY.format(map=map_arg))
    return str(excinfo.value)


# -- plan time ------------------------------------------------------------------------------

def test_unknown_option_is_named_at_plan_time(batch_env):
    message = _fail(batch_env, "basic.Upper", **{"batch-sise": "8"})
    assert "Unsupported options" in message and "batch-sise" in message
    assert "default_catalog.default_database.m" in message
    assert "JobExecutionException" not in message  # failed before any job ran


def test_missing_required_option_is_named(batch_env):
    batch_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    batch_env.execute_sql("CREATE TEMPORARY MODEL m INPUT (text STRING) OUTPUT (label STRING)"
                          f" WITH ('provider' = 'generic-python', 'model-directory-path' = '{MODELS}')")
    with pytest.raises(Exception) as excinfo:
        collect(batch_env, QUERY.format(map=""))
    assert "python-predict-class" in str(excinfo.value)


def test_missing_model_directory_is_named_at_plan_time(batch_env):
    message = _fail(batch_env, "basic.Upper", models="/nonexistent/models/x")
    assert "model-directory-path" in message and "/nonexistent/models/x" in message
    assert "does not exist" in message


def test_bad_class_name_and_bad_batch_size_are_named(batch_env):
    assert "python-predict-class" in _fail(batch_env, "NoModulePart")
    env = new_table_env()
    message = _fail(env, "basic.Upper", map_arg=", MAP['batch-size', '0']")
    assert "batch-size" in message and "at least 1" in message


def test_unsupported_column_type_is_named_at_plan_time(batch_env):
    message = _fail(batch_env, "basic.Upper", output="label STRING, tags MULTISET<STRING>")
    assert "OUTPUT column 'tags'" in message and "MULTISET" in message


# -- run time ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["process", "thread"])
def test_user_exception_fails_the_job_with_model_row_and_traceback(mode):
    message = _fail(new_table_env(), "failing.RaisesOnBad", **{"execution-mode": mode})
    assert "cannot score the word bad" in message
    assert "model 'default_catalog.default_database.m' (class failing.RaisesOnBad)" in message
    assert "input row Row(text='bad')" in message
    assert "Python traceback" in message and "failing.py" in message and "ValueError" in message


def test_missing_module_names_the_module_and_directory(batch_env):
    message = _fail(batch_env, "nosuchmodule.Model")
    assert "cannot import module 'nosuchmodule'" in message and MODELS in message
    assert "basic.py" in message  # shows what the directory holds


def test_missing_class_and_wrong_base_class_are_named(batch_env):
    assert "has no class 'Nope'" in _fail(batch_env, "basic.Nope")
    message = _fail(new_table_env(), "failing.NotAPredictFunction")
    assert "not a subclass of pyflink_ml_predict.PredictFunction" in message


def test_failing_open_is_reported_with_traceback(batch_env):
    message = _fail(batch_env, "failing.FailsToOpen")
    assert "open() failed" in message and "weights.bin is missing" in message
    assert "Python traceback" in message


def test_value_that_does_not_fit_the_output_column_names_the_column(batch_env):
    message = _fail(batch_env, "failing.WrongOutputType")
    assert "output column 'score' (FLOAT)" in message and "'not a number'" in message
    assert "input row Row(text='good')" in message


def test_result_that_is_not_a_list_is_explained(batch_env):
    message = _fail(batch_env, "failing.NotAList")
    assert "must return a list of output rows" in message


def test_worker_exit_code_is_reported(batch_env):
    message = _fail(batch_env, "failing.ExitsWorker")
    assert "Python worker" in message and "exited with code 7" in message
    tail = message.partition("Last lines the worker wrote to stderr:")[2]
    assert "ExitsWorker: exiting with code 7" in tail, message


def test_worker_killed_by_signal_is_reported(batch_env):
    message = _fail(batch_env, "failing.KillsWorker")
    assert "killed by signal 9 (SIGKILL)" in message


def test_missing_python_executable_is_named(batch_env):
    batch_env.get_config().set("python.executable", "/no/such/python")
    message = _fail(batch_env, "basic.Upper")
    assert "/no/such/python" in message and "python.executable" in message


def test_no_worker_outlives_a_failed_job(tmp_path):
    """While the JVM lives on, the workers of a job that failed are stopped (checked by pid)."""
    t_env = new_table_env(streaming=True, parallelism=2)
    t_env.execute_sql("CREATE TEMPORARY TABLE src (n INT) WITH ('connector' = 'datagen',"
                      " 'number-of-rows' = '50', 'fields.n.min' = '0', 'fields.n.max' = '3')")
    create_model(t_env, "ok", "n INT", "pid BIGINT, subtask INT, tag STRING", "basic.WhoAmI",
                 **{"properties.a.tag": "x", "properties.pid-dir": str(tmp_path)})
    create_model(t_env, "bad", "n INT", "i INT", "failing.ExitsWorker",
                 **{"properties.wait-for": f"{tmp_path}:2"})
    t_env.execute_sql("CREATE TEMPORARY VIEW v AS SELECT * FROM ML_PREDICT(TABLE src, MODEL ok,"
                      " DESCRIPTOR(n))")
    with pytest.raises(Exception, match="exited with code 7"):
        collect(t_env, "SELECT * FROM ML_PREDICT(TABLE v, MODEL bad, DESCRIPTOR(n))")
    assert len(list(tmp_path.glob("*.pid"))) == 2
    assert_workers_gone(tmp_path)


def test_a_dead_worker_fails_over_by_the_restart_strategy(tmp_path):
    t_env = new_table_env()
    config = t_env.get_config()
    config.set("restart-strategy.type", "fixed-delay")
    config.set("restart-strategy.fixed-delay.attempts", "2")
    config.set("restart-strategy.fixed-delay.delay", "100 ms")
    t_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "failing.DiesOnce",
                 **{"properties.marker-dir": str(tmp_path)})
    out = tmp_path / "out"
    t_env.execute_sql(f"CREATE TEMPORARY TABLE sink (text STRING, label STRING) WITH ("
                      f" 'connector' = 'filesystem', 'path' = '{out}', 'format' = 'csv')")
    t_env.execute_sql("INSERT INTO sink SELECT text, label FROM ML_PREDICT(TABLE words,"
                      " MODEL m, DESCRIPTOR(text))").wait(300_000)
    assert (tmp_path / "died").exists()  # the first attempt did die
    lines = [line for f in out.rglob("*") if f.is_file() and not f.name.startswith(".")
             for line in f.read_text().splitlines()]
    assert sorted(lines) == ["bad,bad", "good,good"]
