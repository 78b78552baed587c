"""Model updates without restart, on real streaming jobs: a version published while rows flow
is served within the update interval, every row is answered exactly once (a filesystem sink
under checkpoints), the old version's close() runs, and a broken version leaves the job
serving the one before. In both execution modes and both worker scopes."""
import os
import time

import pytest

from flink_jobs import create_model, new_table_env
from paths import MODELS

TEMPLATE = os.path.join(MODELS, "versions_template.py")


def publish(root, version, broken=False):
    """Writes a complete version under a temporary name, then renames it into place."""
    staging = root / f".{version}.incoming"
    staging.mkdir()
    source = open(TEMPLATE).read().replace('VERSION = "0"', f'VERSION = "{version}"')
    (staging / "versioned.py").write_text(source.replace("BROKEN = False", f"BROKEN = {broken}"))
    os.rename(staging, root / str(version))


def wait_for(path, timeout_s=120.0):
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} did not appear in {timeout_s:.0f} s"
        time.sleep(0.1)


def sink_rows(folder):
    """Committed rows only: in-progress and pending files are hidden (dot names)."""
    return [line.split(",") for f in folder.rglob("*") if f.is_file()
            and not f.name.startswith(".") for line in f.read_text().splitlines()]


@pytest.mark.parametrize("mode,scope,parallelism", [("process", "subtask", 1),
                                                    ("thread", "subtask", 1),
                                                    ("process", "taskmanager", 2)])
def test_a_published_version_is_served_without_restart_and_a_broken_one_is_not(
        tmp_path, mode, scope, parallelism):
    rows = 3000
    root, marks, out = tmp_path / "models", tmp_path / "marks", tmp_path / "out"
    root.mkdir()
    marks.mkdir()
    publish(root, 1)
    t_env = new_table_env(streaming=True, parallelism=parallelism)
    t_env.get_config().set("execution.checkpointing.interval", "500 ms")
    t_env.execute_sql(f"CREATE TEMPORARY TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                      f" 'rows-per-second' = '200', 'fields.id.kind' = 'sequence',"
                      f" 'fields.id.start' = '1', 'fields.id.end' = '{rows}')")
    t_env.execute_sql(f"CREATE TEMPORARY TABLE sink (id BIGINT, label STRING, version STRING)"
                      f" WITH ('connector' = 'filesystem', 'path' = '{out}', 'format' = 'csv')")
    create_model(t_env, "m", "id BIGINT", "label STRING, `model-version` STRING",
                 "versioned.Versioned", str(root),
                 **{"model-version": "latest", "model-update-interval": "1 s",
                    "execution-mode": mode, "worker-scope": scope,
                    "properties.marks": str(marks)})
    job = t_env.execute_sql("INSERT INTO sink SELECT id, label, `model-version` FROM"
                            " ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(id))")
    wait_for(marks / "serving-1")
    publish(root, 2)
    wait_for(marks / "serving-2", timeout_s=30)  # within the interval, once a batch comes
    publish(root, 3, broken=True)
    wait_for(marks / "tried-3", timeout_s=30)
    job.wait(300_000)  # the broken version did not fail the job

    results = sink_rows(out)
    ids = sorted(int(r[0]) for r in results)
    assert ids == list(range(1, rows + 1)), "rows were lost or written twice"
    assert all(label == f"v{version}" for _, label, version in results)
    assert {version for _, _, version in results} == {"1", "2"}
    # Each subtask reads ids i+1, i+1+parallelism, ...: once its rows reach version 2 they
    # stay there (a batch is never split across versions, and version 3 never served).
    by_id = {int(i): int(v) for i, _, v in results}
    for subtask in range(parallelism):
        served = [by_id[i] for i in range(subtask + 1, rows + 1, parallelism)]
        assert served == sorted(served), f"subtask {subtask} went back to an older version"
    assert (marks / "closed-1").exists(), "the old version's close() did not run"
    assert not (marks / "serving-3").exists()


@pytest.mark.parametrize("options,output,expected", [
    ({"model-version": "newest"}, "label STRING",
     "Option 'model-version' of model 'default_catalog.default_database.m' must be 'latest' or"
     " a version number, got 'newest'."),
    ({"model-version": "7"}, "label STRING", "pins 'model-version' = '7', but"),
    ({"model-update-interval": "5 s"}, "label STRING",
     "sets 'model-update-interval' but no 'model-version'"),
    ({"model-version": "1", "model-update-interval": "5 s"}, "label STRING",
     "so 'model-update-interval' has nothing to look for"),
    ({}, "label STRING, `model-version` STRING",
     "OUTPUT column `model-version` of model 'default_catalog.default_database.m' carries the"
     " version that answered, but the model sets no 'model-version'."),
], ids=["bad-value", "missing-pinned", "interval-alone", "interval-pinned", "column-alone"])
def test_version_options_are_checked_at_plan_time(batch_env, tmp_path, options, output,
                                                  expected):
    root = tmp_path / "models"
    root.mkdir()
    publish(root, 1)
    batch_env.execute_sql("CREATE TEMPORARY VIEW ids AS SELECT * FROM (VALUES (CAST(1 AS"
                          " BIGINT))) AS T(id)")
    create_model(batch_env, "m", "id BIGINT", output, "versioned.Versioned", str(root),
                 **options, **{"properties.marks": str(tmp_path)})
    with pytest.raises(Exception) as excinfo:
        batch_env.execute_sql("SELECT * FROM ML_PREDICT(TABLE ids, MODEL m, DESCRIPTOR(id))"
                              ).collect().close()
    assert expected in str(excinfo.value)
    assert "JobExecutionException" not in str(excinfo.value)


def test_latest_without_any_version_fails_naming_the_directory(tmp_path):
    root = tmp_path / "models"
    root.mkdir()
    (root / ".1.incoming").mkdir()  # not published yet
    t_env = new_table_env()
    t_env.execute_sql("CREATE TEMPORARY VIEW ids AS SELECT * FROM (VALUES (CAST(1 AS BIGINT)))"
                      " AS T(id)")
    create_model(t_env, "m", "id BIGINT", "label STRING", "versioned.Versioned", str(root),
                 **{"model-version": "latest", "properties.marks": str(tmp_path)})
    with pytest.raises(Exception, match="model-version 'latest' needs numbered version"
                                        " directories in"):
        with t_env.execute_sql("SELECT * FROM ML_PREDICT(TABLE ids, MODEL m, DESCRIPTOR(id))"
                               ).collect() as results:
            list(results)
