"""worker-scope 'taskmanager': the subtasks of a model in one TaskManager share its Python
workers and their batches. Real jobs at parallelism 4 on the local mini-cluster (one
TaskManager), and a standalone cluster whose TaskManager is killed."""
import os
import signal
import time

import pytest

from flink_cluster import StandaloneCluster
from flink_jobs import (assert_workers_gone, collect, create_model, monitored_source,
                        new_table_env, streaming_env_with_rest, take)
from flink_metrics import total, wait_for_metrics
from paths import MODELS

ROWS = 2000
SHARED = {"worker-scope": "taskmanager"}
GROUP = "model_inference."


def _sequence(t_env, rows=ROWS):
    t_env.execute_sql(f"CREATE TEMPORARY TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                      f" 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',"
                      f" 'fields.id.end' = '{rows}')")


@pytest.mark.parametrize("workers,use_async", [(1, "true"), (2, "true"), (1, "false")])
def test_subtasks_share_the_workers_and_get_their_own_rows_in_order(tmp_path, workers,
                                                                     use_async):
    t_env = new_table_env(streaming=True, parallelism=4)
    _sequence(t_env)
    create_model(t_env, "m", "id BIGINT", "answered BIGINT, pid BIGINT, batch INT",
                 "shared.WhichWorker",
                 **SHARED, **{"workers-per-taskmanager": str(workers),
                              "properties.pid-dir": str(tmp_path), "properties.sleep-ms": "2"})
    rows = collect(t_env, "SELECT * FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(id),"
                          f" MAP['async', '{use_async}'])")

    assert sorted(r[0] for r in rows) == list(range(1, ROWS + 1)), "rows lost or repeated"
    assert all(r[0] == r[1] for r in rows), "a row got another row's result"
    opened = sorted(p.read_text() for p in tmp_path.glob("*.open"))
    assert opened == [f"taskmanager {i}/{workers}" for i in range(workers)]  # open() per worker
    assert {r[2] for r in rows} <= {int(p.stem) for p in tmp_path.glob("*.pid")}
    # Subtask i of the sequence source reads ids i+1, i+5, ...: each subtask's rows keep
    # their order through the shared worker.
    for subtask in range(4):
        ids = [r[0] for r in rows if (r[0] - 1) % 4 == subtask]
        assert ids == sorted(ids), f"subtask {subtask}'s rows came back out of order"
    # A subtask sends at most 5 rows (half of Flink's cap of 10), one with async off: larger
    # batches hold rows of several subtasks.
    assert max(r[3] for r in rows) > (5 if use_async == "true" else 1)
    assert_workers_gone(tmp_path)
    assert len(list(tmp_path.glob("*.closed"))) == workers, "close() ran once per worker"


def test_each_subtask_and_the_shared_worker_report_metrics_and_the_error_policy(tmp_path):
    texts = [f"text {i}" for i in range(200)] + ["bad"] * 3
    t_env, port = streaming_env_with_rest(parallelism=4)
    monitored_source(t_env, tmp_path / "src", texts, files=4)
    create_model(t_env, "m", "text STRING", "label STRING", "metered.Metered", **SHARED,
                 **{"error-handling-strategy": "ignore"})
    result = t_env.execute_sql("SELECT text, label FROM ML_PREDICT(TABLE src, MODEL m,"
                               " DESCRIPTOR(text))")
    job_id = str(result.get_job_client().get_job_id())
    good = [t for t in texts if t != "bad"]
    with result.collect() as iterator:
        assert sorted(take(iterator, len(good))) == sorted((t, t.upper()) for t in good)
        worker = "shared_worker.0." + GROUP
        metrics = wait_for_metrics(port, job_id, lambda m: (
            total(m, GROUP + "inference_requests") == len(texts)
            and total(m, worker + "inference_requests") == len(texts)
            and total(m, "shared_worker.0.rows_seen") >= len(texts)))
        assert sorted(metrics) == [0, 1, 2, 3]
        for name in ("inference_requests_success", "inference_rows_output"):
            assert total(metrics, GROUP + name) == len(good)
            assert total(metrics, worker + name) == len(good)
        assert total(metrics, GROUP + "inference_requests_failure") == 3
        assert total(metrics, worker + "inference_requests_failure") == 3
        # The worker's round trips held the rows of several subtasks' batches.
        assert total(metrics, worker + "inference_batches") <= total(
            metrics, GROUP + "inference_batches")
        assert total(metrics, worker + "python_worker_restarts") == 0
        # One worker, so the model's own metrics exist once, in its group under the subtask
        # that started it.
        assert sum("shared_worker.0.rows_seen" in values for values in metrics.values()) == 1


def test_a_hung_shared_worker_fails_every_subtask_by_the_timeout(tmp_path):
    t_env = new_table_env(streaming=True, parallelism=2)
    t_env.execute_sql("CREATE TEMPORARY VIEW words AS SELECT * FROM (VALUES ('a'), ('b'),"
                      " ('c'), ('d')) AS T(text)")
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "failing.Hangs",
                 **SHARED, **{"properties.pid-dir": str(tmp_path)})
    started = time.time()
    with pytest.raises(Exception) as excinfo:
        collect(t_env, "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text),"
                       " MAP['timeout', '3 s'])")
    message = str(excinfo.value)
    assert ("took longer than the timeout of 3 s" in message
            or "Async function call has timed out" in message), message[-2000:]
    assert time.time() - started < 120
    assert_workers_gone(tmp_path)


def test_a_killed_taskmanager_leaves_no_shared_worker_behind(tmp_path):
    cluster = StandaloneCluster(tmp_path / "cluster").start()
    try:
        t_env = cluster.table_env(streaming=True)
        pids = tmp_path / "pids"
        pids.mkdir()
        t_env.execute_sql("CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' ="
                          " 'datagen', 'rows-per-second' = '50')")
        t_env.execute_sql("CREATE TEMPORARY TABLE sink (pid BIGINT) WITH ('connector' ="
                          " 'blackhole')")
        create_model(t_env, "m", "text STRING", "pid BIGINT, subtask INT, tag STRING",
                     "basic.WhoAmI", MODELS, **SHARED,
                     **{"properties.pid-dir": str(pids), "properties.a.tag": "x"})
        t_env.execute_sql("INSERT INTO sink SELECT pid FROM ML_PREDICT(TABLE src, MODEL m,"
                          " DESCRIPTOR(text))")
        deadline = time.monotonic() + 60
        while not list(pids.glob("*.pid")) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(list(pids.glob("*.pid"))) == 1, "two subtasks, one shared worker"
        (task_manager,) = [pid for pid in cluster.daemon_pids() if b"TaskManagerRunner"
                           in open(f"/proc/{pid}/cmdline", "rb").read()]
        os.kill(task_manager, signal.SIGKILL)
        assert_workers_gone(pids, wait_s=15)
    finally:
        cluster.stop()


def test_sharing_needs_process_mode_and_a_worker(batch_env):
    batch_env.execute_sql("CREATE TEMPORARY VIEW words AS SELECT * FROM (VALUES ('a')) AS"
                          " T(text)")
    for options, expected in [
            ({"execution-mode": "thread"}, "needs 'execution-mode' = 'process'"),
            ({"workers-per-taskmanager": "0"}, "'workers-per-taskmanager' of model"
                                               " 'default_catalog.default_database.m' must be"
                                               " at least 1, got 0")]:
        batch_env.execute_sql("DROP TEMPORARY MODEL IF EXISTS m")
        create_model(batch_env, "m", "text STRING", "label STRING, score FLOAT", "basic.Upper",
                     **SHARED, **options)
        with pytest.raises(Exception) as excinfo:
            collect(batch_env, "SELECT * FROM ML_PREDICT(TABLE words, MODEL m,"
                               " DESCRIPTOR(text))")
        assert expected in str(excinfo.value)
        assert "JobExecutionException" not in str(excinfo.value)  # refused at plan time
