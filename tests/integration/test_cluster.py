"""ML_PREDICT on a real Flink standalone session cluster, submitted remotely.

The cluster is started from the PyFlink install with its bin/start-cluster.sh on loopback (see
flink_cluster.py), the demo model (e2e/demo) is created with its absolute path, and a job reads
e2e/demo/reviews.csv and writes the predictions to a CSV folder. The README's "Running on a
cluster" section shows the same steps.
"""
import glob
import os
import subprocess
import sys

import pytest

from flink_cluster import FLINK_HOME, StandaloneCluster
from paths import REPO

ROOT = REPO
DEMO = os.path.join(ROOT, "e2e", "demo")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = StandaloneCluster(tmp_path_factory.mktemp("flink-cluster")).start()
    try:
        yield cluster
    finally:
        cluster.stop()


def job_statements(sink_dir):
    """Source, model and sink DDL, then the INSERT: the same text for PyFlink and the SQL client."""
    return [
        f"""CREATE TABLE reviews (id INT, review STRING, truth STRING) WITH (
  'connector' = 'filesystem', 'path' = '{os.path.join(DEMO, "reviews.csv")}', 'format' = 'csv')""",
        f"""CREATE TABLE predictions (id INT, label STRING, score FLOAT, truth STRING) WITH (
  'connector' = 'filesystem', 'path' = '{sink_dir}', 'format' = 'csv')""",
        f"""CREATE MODEL sentiment
INPUT (review STRING)
OUTPUT (label STRING, score FLOAT)
WITH (
  'provider' = 'generic-python',
  'model-directory-path' = '{os.path.join(DEMO, "model")}',
  'python-predict-class' = 'lexicon_sentiment.LexiconSentiment',
  'properties.threshold' = '0')""",
        """INSERT INTO predictions
SELECT id, label, score, truth
FROM ML_PREDICT(TABLE reviews, MODEL sentiment, DESCRIPTOR(review))""",
    ]


def read_sink(sink_dir):
    """(id, label, truth) of every row in the finished CSV sink folder."""
    rows = []
    for path in glob.glob(os.path.join(str(sink_dir), "**", "*"), recursive=True):
        if os.path.isfile(path) and not os.path.basename(path).startswith("."):
            with open(path, encoding="utf-8") as f:
                for line in f.read().splitlines():
                    id_, label, _score, truth = line.split(",")
                    rows.append((int(id_), label, truth))
    return sorted(rows)


def assert_all_reviews_right(rows, context=""):
    assert [r[0] for r in rows] == list(range(1, 13)), f"rows: {rows}{context}"
    wrong = [r for r in rows if r[1] != r[2]]
    assert not wrong, f"wrong labels (id, label, truth): {wrong}{context}"


def test_pyflink_submits_ml_predict_to_the_cluster(cluster, tmp_path):
    t_env = cluster.table_env()
    config = t_env.get_config()
    # Else the adaptive batch scheduler runs this little data at parallelism 1.
    config.set("execution.batch.adaptive.auto-parallelism.enabled", "false")
    sink = tmp_path / "predictions"
    *ddl, insert = job_statements(sink)
    for statement in ddl:
        t_env.execute_sql(statement)

    result = t_env.execute_sql(insert)
    job_id = str(result.get_job_client().get_job_id())
    try:
        result.wait(120_000)
    except Exception as e:  # the Java exception, with the cluster's side of the story
        raise AssertionError(f"job {job_id} failed: {str(e)[-4000:]}" + cluster.log_tails())
    assert cluster.wait_for_job(job_id) == "FINISHED"  # it ran on the cluster, not locally
    vertices = cluster.rest(f"/jobs/{job_id}")["vertices"]
    predict = [v for v in vertices if "ML_PREDICT" in v["name"] or "MLPredict" in v["name"]]
    assert [v["parallelism"] for v in predict] == [2], [(v["name"], v["parallelism"])
                                                        for v in vertices]
    assert_all_reviews_right(read_sink(sink))

    # An interactive query's rows come back from the cluster too.
    query = t_env.execute_sql(
        "SELECT id, label, truth FROM ML_PREDICT(TABLE reviews, MODEL sentiment,"
        " DESCRIPTOR(review))")
    with query.collect() as results:
        rows = sorted(tuple(row) for row in results)
    assert_all_reviews_right(rows)
    assert cluster.jobs()[str(query.get_job_client().get_job_id())][1] == "FINISHED"


def test_a_sql_script_with_set_lines_runs_on_the_cluster(cluster, tmp_path):
    """The project's CLI runs a SQL script whose SET lines point it at the cluster: the SQL
    client's job, on the parts of Flink that PyFlink ships."""
    sink = tmp_path / "predictions"
    script = tmp_path / "job.sql"
    settings = ["SET 'execution.target' = 'remote';", "SET 'rest.address' = 'localhost';",
                f"SET 'rest.port' = '{cluster.rest_port}';",
                f"SET 'python.executable' = '{sys.executable}';"]
    script.write_text("\n".join(settings + [s + ";" for s in job_statements(sink)]) + "\n")
    before = set(cluster.jobs())
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYFLINK_")}
    done = subprocess.run([sys.executable, "-m", "pyflink_ml_predict", "run", str(script)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:] + cluster.log_tails()
    new_jobs = [job for jid, job in cluster.jobs().items() if jid not in before]
    assert [state for _name, state in new_jobs] == ["FINISHED"], (new_jobs, done.stderr[-2000:])
    assert_all_reviews_right(read_sink(sink))


def sql_gateway_jar():
    """Flink's SQL client cannot start without flink-sql-gateway, which PyFlink does not ship."""
    named = os.environ.get("FLINK_SQL_GATEWAY_JAR")
    if named:
        return named
    found = glob.glob(os.path.join(FLINK_HOME, "opt", "flink-sql-gateway-*.jar"))
    return found[0] if found else None


def test_sql_client_submits_ml_predict_to_the_cluster(cluster, tmp_path):
    gateway_jar = sql_gateway_jar()
    if gateway_jar is None:
        pytest.skip("PyFlink's install has bin/sql-client.sh and opt/flink-sql-client-*.jar but"
                    " not opt/flink-sql-gateway-*.jar, so the SQL client fails to start"
                    " (NoClassDefFoundError: org/apache/flink/table/gateway/service/context/"
                    "DefaultContext); set FLINK_SQL_GATEWAY_JAR to Flink's flink-sql-gateway"
                    " jar of the same version to run this test")
    from pyflink_ml_predict import jar_path

    # The client's folders, as in a stock Flink distribution: lib/ without the provider jar
    # (it comes with --jar, as the README says) and opt/ with the SQL gateway jar.
    lib = tmp_path / "client-lib"
    opt = tmp_path / "client-opt"
    log = tmp_path / "client-log"
    for folder in (lib, opt, log):
        folder.mkdir()
    for jar in glob.glob(os.path.join(FLINK_HOME, "lib", "*.jar")):
        if os.path.basename(jar) != os.path.basename(jar_path()):
            os.symlink(jar, lib / os.path.basename(jar))
    for jar in glob.glob(os.path.join(FLINK_HOME, "opt", "*.jar")) + [gateway_jar]:
        if not (opt / os.path.basename(jar)).exists():
            os.symlink(jar, opt / os.path.basename(jar))
    env = dict(cluster.env, FLINK_LIB_DIR=str(lib), FLINK_OPT_DIR=str(opt),
               FLINK_LOG_DIR=str(log))

    sink = tmp_path / "predictions"
    script = tmp_path / "ml_predict.sql"
    settings = [
        "SET 'execution.runtime-mode' = 'batch';",
        "SET 'execution.target' = 'remote';",
        "SET 'rest.address' = 'localhost';",
        f"SET 'rest.port' = '{cluster.rest_port}';",
        "SET 'table.dml-sync' = 'true';",
        f"SET 'python.executable' = '{sys.executable}';",
    ]
    script.write_text("\n".join(settings + [s + ";" for s in job_statements(sink)]) + "\n")
    before = set(cluster.jobs())

    done = subprocess.run(
        [os.path.join(FLINK_HOME, "bin", "sql-client.sh"), "--jar", jar_path(),
         "-f", str(script)],
        env=env, capture_output=True, text=True, timeout=300)
    output = done.stdout[-4000:] + done.stderr[-4000:]
    assert done.returncode == 0, output + cluster.log_tails()
    new_jobs = {jid: job for jid, job in cluster.jobs().items() if jid not in before}
    assert [state for _name, state in new_jobs.values()] == ["FINISHED"], (new_jobs, output)
    assert_all_reviews_right(read_sink(sink), "\n" + output)
