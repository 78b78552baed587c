"""Real Flink for the integration tests: table environments on PyFlink's local mini-cluster,
models created with the generic-python provider, queries run to the end."""
import os
import sys
import time

from paths import MODELS


_first_class_loader = []


def _undo_class_loader_growth():
    """PyFlink's ``EnvironmentSettings.build()`` wraps the thread's context class loader in a new
    URLClassLoader every time, so after a few hundred table environments in one process each
    class look-up walks a chain of hundreds of loaders (each miss throwing), and the later tests
    of a session ran several times slower. Each environment starts from the first loader again."""
    from pyflink.java_gateway import get_gateway

    thread = get_gateway().jvm.Thread.currentThread()
    if not _first_class_loader:
        _first_class_loader.append(thread.getContextClassLoader())
    else:
        thread.setContextClassLoader(_first_class_loader[0])


def flink_release():
    """The installed PyFlink's (major, minor), e.g. (2, 3)."""
    from pyflink.version import __version__

    return tuple(int(part) for part in __version__.split(".")[:2])


def plans_batch_ml_predict():
    """Batch-mode ML_PREDICT came with Flink 2.3 (the provider refuses it before, by name)."""
    return flink_release() >= (2, 3)


def new_table_env(streaming: bool = False, parallelism: int = 1):
    """A table environment on the local mini-cluster. Where this Flink has no batch
    ML_PREDICT (before 2.3), a batch one is a streaming one: the tests' sources are bounded,
    so the same jobs end with the same rows."""
    from pyflink.table import EnvironmentSettings, TableEnvironment

    _undo_class_loader_growth()
    streaming = streaming or not plans_batch_ml_predict()
    settings = (EnvironmentSettings.in_streaming_mode() if streaming
                else EnvironmentSettings.in_batch_mode())
    t_env = TableEnvironment.create(settings)
    config = t_env.get_config()
    config.set("parallelism.default", str(parallelism))
    config.set("python.executable", sys.executable)
    return t_env


def create_model(t_env, name, input_schema, output_schema, predict_class, models=MODELS,
                 **options):
    """CREATE TEMPORARY MODEL with the generic-python provider; options as 'key': 'value'."""
    with_options = {"provider": "generic-python", "model-directory-path": models,
                    "python-predict-class": predict_class}
    with_options.update(options)
    rendered = ",\n  ".join(f"'{k}' = '{v}'" for k, v in with_options.items())
    t_env.execute_sql(
        f"CREATE TEMPORARY MODEL {name} INPUT ({input_schema}) OUTPUT ({output_schema})"
        f" WITH (\n  {rendered})"
    )


def collect(t_env, sql):
    """Runs a query to the end and returns its rows as tuples."""
    with t_env.execute_sql(sql).collect() as results:
        return [tuple(row) for row in results]


def streaming_env_with_rest(parallelism=2):
    """A streaming table environment whose mini-cluster serves Flink's REST API on a free
    port, refreshing its metrics view every 300 ms; returns (t_env, port)."""
    from flink_cluster import free_port

    port = free_port()
    t_env = new_table_env(streaming=True, parallelism=parallelism)
    config = t_env.get_config()
    config.set("rest.port", str(port))
    config.set("rest.address", "127.0.0.1")
    config.set("rest.bind-address", "127.0.0.1")
    config.set("metrics.fetcher.update-interval", "300")  # the REST view's refresh (ms)
    return t_env, port


def monitored_source(t_env, folder, texts, files=2):
    """A table ``src (text STRING)`` over a folder watched for new files: the job never
    finishes by itself. The texts are spread over ``files`` files (splits), one per subtask
    that should get rows."""
    folder.mkdir()
    for i in range(files):
        (folder / f"{i}.csv").write_text("".join(f"{t}\n" for t in texts[i::files]))
    t_env.execute_sql(f"CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' ="
                      f" 'filesystem', 'path' = '{folder}', 'format' = 'csv',"
                      f" 'source.monitor-interval' = '1 s')")


def take(iterator, n):
    """n rows of a running query (closing its iterator would end the job and the cluster)."""
    return [tuple(next(iterator)) for _ in range(n)]


def assert_workers_gone(pid_dir, wait_s=10.0):
    pids = [int(p.read_text()) for p in pid_dir.glob("*.pid")]
    assert pids, "the model recorded no worker pid"
    deadline = time.time() + wait_s
    alive = pids
    while alive and time.time() < deadline:
        alive = [p for p in pids if _alive(p)]
        time.sleep(0.2)
    assert not alive, f"Python workers {alive} outlived the job"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited but is not reaped yet: it no longer runs.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(")")[-1].split()[0] != "Z"
