"""Reading a running job's metrics the way a user does: Flink's REST API
(``/jobs/<id>/vertices/<vertex>/metrics``) and a Prometheus reporter's scrape page."""
import json
import time
import urllib.parse
import urllib.request

OPERATOR = "MLPredictTableFunction"


def rest(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return json.load(response)


def ml_predict_metrics(port: int, job_id: str):
    """{subtask index: {metric name below the ML_PREDICT operator: float value}}, from every
    vertex of the job (metric ids read ``<subtask>.<operator>.<name>``)."""
    by_subtask = {}
    for vertex in rest(port, f"/jobs/{job_id}")["vertices"]:
        base = f"/jobs/{job_id}/vertices/{vertex['id']}/metrics"
        ids = [m["id"] for m in rest(port, base)
               if m["id"].split(".", 2)[1:2] and m["id"].split(".")[1].startswith(OPERATOR)]
        for start in range(0, len(ids), 50):  # keep the URL short
            query = urllib.parse.quote(",".join(ids[start:start + 50]), safe=",")
            for metric in rest(port, f"{base}?get={query}"):
                subtask, _, name = metric["id"].split(".", 2)
                try:
                    value = float(metric["value"])
                except ValueError:
                    value = metric["value"]
                by_subtask.setdefault(int(subtask), {})[name] = value
    return by_subtask


def wait_for_metrics(port: int, job_id: str, ready, timeout_s: float = 60.0):
    """Polls until ``ready(metrics)`` holds; fails with the last metrics seen."""
    deadline = time.monotonic() + timeout_s
    metrics = None
    while time.monotonic() < deadline:
        try:
            metrics = ml_predict_metrics(port, job_id)
            if metrics and ready(metrics):
                return metrics
        except (OSError, KeyError) as e:
            metrics = repr(e)
        time.sleep(0.5)
    raise AssertionError(f"the job's ML_PREDICT metrics did not get there in {timeout_s:.0f} s;"
                         f" last seen: {metrics}")


def total(metrics, name: str) -> float:
    return sum(values.get(name, 0) for values in metrics.values())


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return response.read().decode("utf-8")
