"""Faults survived with nothing lost and no worker left behind: a worker killed mid-stream, a
model that hangs, an open() that fails or is cancelled. Real jobs, real kills."""
import os
import signal
import time

import pytest

from flink_jobs import assert_workers_gone, collect, create_model, new_table_env

WORDS = "SELECT * FROM (VALUES ('good'), ('bad'), ('fine')) AS T(text)"


def _wait_for_pids(folder, count=1, timeout_s=120.0):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        pids = sorted(int(p.read_text()) for p in folder.glob("*.pid") if p.read_text())
        if len(pids) >= count:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"no Python worker recorded its pid in {folder} within {timeout_s} s")


def _sink_lines(folder):
    """Committed files only: in-progress and pending files of the filesystem sink are hidden."""
    return [line for f in folder.rglob("*") if f.is_file() and not f.name.startswith(".")
            for line in f.read_text().splitlines()]


# One worker either way: a subtask's own at parallelism 1, or two subtasks' shared one.
@pytest.mark.parametrize("scope,parallelism", [("subtask", 1), ("taskmanager", 2)])
def test_a_killed_worker_is_recovered_from_a_checkpoint_with_nothing_lost_or_repeated(
        tmp_path, scope, parallelism):
    rows = 4000
    pids, out = tmp_path / "pids", tmp_path / "out"
    pids.mkdir()
    t_env = new_table_env(streaming=True, parallelism=parallelism)
    config = t_env.get_config()
    config.set("execution.checkpointing.interval", "500 ms")
    config.set("restart-strategy.type", "fixed-delay")
    config.set("restart-strategy.fixed-delay.attempts", "3")
    config.set("restart-strategy.fixed-delay.delay", "200 ms")
    t_env.execute_sql(f"CREATE TEMPORARY TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                      f" 'rows-per-second' = '500', 'fields.id.kind' = 'sequence',"
                      f" 'fields.id.start' = '1', 'fields.id.end' = '{rows}')")
    t_env.execute_sql(f"CREATE TEMPORARY TABLE sink (id BIGINT, doubled BIGINT) WITH ("
                      f" 'connector' = 'filesystem', 'path' = '{out}', 'format' = 'csv')")
    create_model(t_env, "m", "id BIGINT", "doubled BIGINT", "failing.Doubles",
                 **{"properties.pid-dir": str(pids), "worker-scope": scope})
    job = t_env.execute_sql("INSERT INTO sink SELECT id, doubled FROM ML_PREDICT(TABLE src,"
                            " MODEL m, DESCRIPTOR(id))")
    (first,) = _wait_for_pids(pids)
    time.sleep(3)  # mid-stream, after a few checkpoints
    os.kill(first, signal.SIGKILL)
    job.wait(300_000)

    assert len(_wait_for_pids(pids, 2)) == 2, "the job did not restart its worker"
    results = [tuple(int(v) for v in line.split(",")) for line in _sink_lines(out)]
    ids = sorted(i for i, _ in results)
    print(f"rows in {rows}, rows out {len(results)}, distinct {len(set(ids))}")
    assert ids == list(range(1, rows + 1)), "rows were lost or written twice"
    assert all(doubled == 2 * i for i, doubled in results)
    assert_workers_gone(pids)


@pytest.mark.parametrize("cap", ["10", "1"], ids=["caller-thread", "inline-on-task-thread"])
def test_a_hung_model_fails_by_the_timeout_and_its_worker_is_stopped(tmp_path, cap):
    """With cap 1 the round trip runs on the task thread, where Flink's own timeout cannot
    fire: the provider's watchdog must stop the worker."""
    t_env = new_table_env(streaming=True)
    t_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "failing.Hangs",
                 **{"properties.pid-dir": str(tmp_path)})
    started = time.time()
    with pytest.raises(Exception) as excinfo:
        collect(t_env, "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text),"
                       f" MAP['timeout', '3 s', 'max-concurrent-operations', '{cap}'])")
    message = str(excinfo.value)
    # On the task thread only the provider's watchdog can end the call; otherwise Flink's own
    # async timeout and the watchdog have the same deadline, and either may be first.
    ends = ["took longer than the timeout of 3 s"]
    if cap != "1":
        ends.append("Async function call has timed out")
    assert [end for end in ends if end in message], message[-2000:]
    assert time.time() - started < 120
    assert_workers_gone(tmp_path)


def test_a_failing_open_leaves_no_worker(tmp_path):
    t_env = new_table_env(streaming=True, parallelism=2)
    t_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT",
                 "failing.OpensThenFails", **{"properties.pid-dir": str(tmp_path)})
    with pytest.raises(Exception, match="refused the connection"):
        collect(t_env, "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))")
    assert_workers_gone(tmp_path)


def test_cancelling_during_a_slow_open_stops_the_worker_at_once(tmp_path):
    """open() sleeps a minute; cancelling must not wait for it (a blocked pipe read ignores
    Flink's interrupt, so the provider's watchdog stops the worker)."""
    t_env = new_table_env(streaming=True)
    t_env.execute_sql("CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' = 'datagen',"
                      " 'rows-per-second' = '10')")
    t_env.execute_sql("CREATE TEMPORARY TABLE sink (text STRING, label STRING) WITH"
                      " ('connector' = 'blackhole')")
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "failing.SlowOpen",
                 **{"properties.pid-dir": str(tmp_path)})
    job = t_env.execute_sql("INSERT INTO sink SELECT text, label FROM ML_PREDICT(TABLE src,"
                            " MODEL m, DESCRIPTOR(text))")
    _wait_for_pids(tmp_path)
    job.get_job_client().cancel().result()
    assert_workers_gone(tmp_path, wait_s=15)  # open() would sleep on for most of a minute
