"""Inference metrics and the model's own metrics, read from a running streaming job through
Flink's REST API on the local mini-cluster and from the Prometheus reporter of a standalone
cluster. The source is a monitored folder, so the job keeps running after its rows: every
value is read while the job runs, and the counters can be held to the rows produced."""
import os

import pytest

from flink_cluster import FLINK_HOME, StandaloneCluster, free_port
from flink_jobs import create_model, monitored_source, streaming_env_with_rest, take
from flink_metrics import scrape, total, wait_for_metrics
from paths import MODELS

GROUP = "model_inference."
TEXTS = [f"t{i}" if i % 3 else f"long text {i}" for i in range(60)]


def _gateway_pid():
    from pyflink.java_gateway import get_gateway

    return get_gateway().jvm.ProcessHandle.current().pid()


@pytest.mark.parametrize("mode,use_async", [("process", "true"), ("thread", "true"),
                                            ("process", "false")])
def test_model_and_user_metrics_of_a_running_job_match_its_rows(tmp_path, mode, use_async):
    t_env, port = streaming_env_with_rest()
    monitored_source(t_env, tmp_path / "src", TEXTS)
    create_model(t_env, "m", "text STRING", "label STRING", "metered.Metered",
                 **{"execution-mode": mode, "batch-size": "8"})
    result = t_env.execute_sql(f"SELECT text, label FROM ML_PREDICT(TABLE src, MODEL m,"
                               f" DESCRIPTOR(text), MAP['async', '{use_async}'])")
    job_id = str(result.get_job_client().get_job_id())
    with result.collect() as iterator:
        rows = take(iterator, len(TEXTS))
        assert sorted(rows) == sorted((t, t.upper()) for t in TEXTS)
        metrics = wait_for_metrics(port, job_id, lambda m: (
            total(m, GROUP + "inference_rows_output") == len(TEXTS)
            and total(m, "rows_seen") == len(TEXTS)))
        assert len(metrics) == 2, f"one set per subtask: {sorted(metrics)}"
        for subtask, values in metrics.items():
            requests = values[GROUP + "inference_requests"]
            assert values[GROUP + "inference_requests_success"] == requests
            assert values[GROUP + "inference_rows_output"] == requests
            assert values[GROUP + "inference_requests_failure"] == 0
            assert values[GROUP + "inference_retries"] == 0
            assert values[GROUP + "python_worker_restarts"] == 0
            assert values[GROUP + "model_load_time_ms"] >= 0
            # The model's own metrics, beside them under the same operator and subtask.
            assert values["rows_seen"] == requests
            assert "rows_rate" in values and "last_length" in values
            batches = values[GROUP + "inference_batches"]
            if not requests:  # the splits may all have gone to the other subtask
                assert batches == 0
                continue
            assert 1 <= batches <= requests
            assert 1 <= values[GROUP + "inference_batch_size_max"] <= 8
            if use_async == "false":  # one round trip per row
                assert batches == requests and values[GROUP + "inference_batch_size_max"] == 1
            # Flink's histogram statistics give min and max as whole numbers, the mean exactly.
            latency = [values[GROUP + "inference_latency_" + s] for s in ("min", "mean", "max")]
            assert latency[1] > 0 and latency[0] <= latency[1] <= latency[2] + 1, latency
            assert values["text_length_max"] <= max(map(len, TEXTS))
        assert total(metrics, "texts.kind.long.rows") == sum(len(t) > 3 for t in TEXTS)
        assert max(v["text_length_max"] for v in metrics.values()) == max(map(len, TEXTS))
        assert total(metrics, GROUP + "inference_requests") == len(TEXTS)
        # Both modes really ran: in thread mode Python lives in the TaskManager's JVM.
        pids = {v["worker_pid"] for v in metrics.values()}
        if mode == "thread":
            assert pids == {_gateway_pid()}
        else:
            assert len(pids) == 2 and _gateway_pid() not in pids


def test_skipped_and_retried_rows_are_counted(tmp_path):
    texts = TEXTS[:20] + ["bad", "bad"] + TEXTS[20:]
    t_env, port = streaming_env_with_rest(parallelism=1)
    monitored_source(t_env, tmp_path / "src", texts)
    create_model(t_env, "m", "text STRING", "label STRING", "metered.Metered",
                 **{"error-handling-strategy": "retry", "retry-num": "1",
                    "retry-fallback-strategy": "ignore"})
    result = t_env.execute_sql("SELECT text, label FROM ML_PREDICT(TABLE src, MODEL m,"
                               " DESCRIPTOR(text))")
    job_id = str(result.get_job_client().get_job_id())
    with result.collect() as iterator:
        rows = take(iterator, len(TEXTS))
        assert sorted(rows) == sorted((t, t.upper()) for t in TEXTS)
        (values,) = wait_for_metrics(port, job_id, lambda m: total(
            m, GROUP + "inference_requests_failure") == 2).values()
        assert values[GROUP + "inference_requests"] == len(texts)
        assert values[GROUP + "inference_requests_success"] == len(TEXTS)
        assert values[GROUP + "inference_rows_output"] == len(TEXTS)
        # Each bad row was tried twice alone (1 + retry-num), after its batch failed.
        assert values[GROUP + "inference_retries"] >= 4


def test_a_crashed_worker_counts_as_a_restart_in_the_next_attempt(tmp_path):
    t_env, port = streaming_env_with_rest(parallelism=1)
    config = t_env.get_config()
    config.set("restart-strategy.type", "fixed-delay")
    config.set("restart-strategy.fixed-delay.attempts", "3")
    config.set("restart-strategy.fixed-delay.delay", "200 ms")
    monitored_source(t_env, tmp_path / "src", TEXTS)
    (tmp_path / "marker").mkdir()
    t_env.execute_sql("CREATE TEMPORARY TABLE sink (text STRING, score FLOAT) WITH ("
                      " 'connector' = 'blackhole')")
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "failing.DiesOnce",
                 **{"properties.marker-dir": str(tmp_path / "marker")})
    job = t_env.execute_sql("INSERT INTO sink SELECT text, score FROM ML_PREDICT(TABLE src,"
                            " MODEL m, DESCRIPTOR(text))")
    job_id = str(job.get_job_client().get_job_id())
    try:
        (values,) = wait_for_metrics(port, job_id, lambda m: total(
            m, GROUP + "inference_rows_output") == len(TEXTS)).values()
        assert values[GROUP + "python_worker_restarts"] == 1
        assert (tmp_path / "marker" / "died").exists()
    finally:
        job.get_job_client().cancel().result()


def test_prometheus_scrapes_model_and_user_metrics_from_a_standalone_cluster(tmp_path):
    assert os.path.isdir(os.path.join(FLINK_HOME, "plugins", "metrics-prometheus"))
    first = free_port()
    ports = range(first, first + 4)  # the JobManager and the TaskManager each take one
    cluster = StandaloneCluster(tmp_path / "cluster", config={
        "metrics.reporter.prom.factory.class":
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
        "metrics.reporter.prom.port": f"{ports[0]}-{ports[-1]}",
    }).start()
    try:
        t_env = cluster.table_env(streaming=True)
        monitored_source(t_env, tmp_path / "src", TEXTS)
        t_env.execute_sql("CREATE TEMPORARY TABLE sink (label STRING) WITH ("
                          " 'connector' = 'blackhole')")
        create_model(t_env, "m", "text STRING", "label STRING", "metered.Metered", MODELS)
        job = t_env.execute_sql("INSERT INTO sink SELECT label FROM ML_PREDICT(TABLE src,"
                                " MODEL m, DESCRIPTOR(text))")
        job_id = str(job.get_job_client().get_job_id())
        wait_for_metrics(cluster.rest_port, job_id, lambda m: total(
            m, GROUP + "inference_rows_output") == len(TEXTS))
        pages = []
        for port in ports:
            try:
                pages.append(scrape(port))
            except OSError:
                pass
        page = next((p for p in pages if "model_inference" in p), "")
        prefix = "flink_taskmanager_job_task_operator_"
        ours = "\n".join(line for line in page.splitlines()
                         if line.startswith(prefix) and "ai_queue" not in line)
        assert _sample(page, prefix + "model_inference_inference_requests") == len(TEXTS), ours
        assert _sample(page, prefix + "model_inference_inference_latency_count") >= 1, ours
        assert _sample(page, prefix + "rows_seen") == len(TEXTS), ours
        assert _sample(page, prefix + "texts_kind_rows", 'kind="long"') == sum(
            len(t) > 3 for t in TEXTS), ours
        job.get_job_client().cancel().result()
    finally:
        cluster.stop()


def _sample(page, metric, label=""):
    """A Prometheus metric's samples (those with that label, if given), summed over subtasks."""
    return sum(float(line.rsplit(" ", 1)[1]) for line in page.splitlines()
               if line.startswith(metric + "{") and label in line)
