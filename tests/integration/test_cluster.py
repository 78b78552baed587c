"""ML_PREDICT on a real Flink standalone session cluster, submitted remotely.

The cluster is started from the PyFlink install with its bin/start-cluster.sh on loopback (see
flink_cluster.py), the demo model (e2e/demo) is created with its absolute path, and a job reads
e2e/demo/reviews.csv and writes the predictions to a CSV folder. The README's "Running on a
cluster" section shows the same steps.
"""
import glob
import os
import shutil
import subprocess
import sys

import pytest

from flink_cluster import FLINK_HOME, StandaloneCluster
from paths import REPO

ROOT = REPO
DEMO = os.path.join(ROOT, "e2e", "demo")


def loopback_file_system_jar(folder):
    """A jar with the tests' 'loopback://' file system (tests/java/.../testfs), registered as
    Flink finds file systems on its classpath (META-INF/services)."""
    import zipfile

    import pyflink

    from paths import TESTS

    flink = os.path.dirname(pyflink.__file__)
    classes = folder / "classes"
    sources = glob.glob(os.path.join(TESTS, "java", "io", "pyflinkml", "predict", "testfs",
                                     "*.java"))
    subprocess.run(["javac", "-nowarn", "-cp", os.pathsep.join(
        glob.glob(os.path.join(flink, "lib", "*.jar"))), "-d", str(classes), *sources],
        check=True)
    jar = folder / "loopback-fs.jar"
    with zipfile.ZipFile(jar, "w") as z:
        for path in classes.rglob("*.class"):
            z.write(path, str(path.relative_to(classes)))
        z.writestr("META-INF/services/org.apache.flink.core.fs.FileSystemFactory",
                   "io.pyflinkml.predict.testfs.LoopbackFileSystemFactory\n")
    return jar


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    jar = loopback_file_system_jar(tmp_path_factory.mktemp("loopback-fs"))
    cluster = StandaloneCluster(tmp_path_factory.mktemp("flink-cluster"), jars=[jar]).start()
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


SHIPPED_MODEL = '''
import os
import sys

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class Where(PredictFunction):
    """Says which Python answered and where it found the model."""

    def open(self, context):
        with open(os.path.join(self.model_directory, "greeting.txt")) as f:
            self.greeting = f.read().strip()

    def predict(self, data):
        return [Row(f"{self.greeting} {data.text}", sys.prefix,
                    os.path.realpath(self.model_directory))]
'''


@pytest.fixture(scope="module")
def packed_venv(tmp_path_factory):
    from packed_env import pack_virtualenv

    return pack_virtualenv(tmp_path_factory.mktemp("packed"))


def shipping_statements(client, cache, venv_archive):
    """The submitting side's model as an archive (the original deleted) and its packed
    virtualenv: the session settings and statements that ship both with the job."""
    import tarfile

    model = client / "model"
    model.mkdir(parents=True)
    (model / "where.py").write_text(SHIPPED_MODEL)
    (model / "greeting.txt").write_text("shipped")
    model_archive = client / "model.tar.gz"
    with tarfile.open(model_archive, "w:gz") as t:
        t.add(model, arcname="model")
    subprocess.run(["rm", "-rf", str(model)], check=True)
    shutil.copy(venv_archive, client / "venv.zip")
    settings = {"python.archives": f"{client / 'venv.zip'}#venv",
                "python.executable": "venv/bin/python",
                "generic-python.model-cache.directory": str(cache)}
    statements = [
        "CREATE TEMPORARY VIEW words AS SELECT * FROM (VALUES ('a'), ('b')) AS T(text)",
        "CREATE TEMPORARY MODEL m INPUT (text STRING)"
        " OUTPUT (label STRING, python_prefix STRING, directory STRING) WITH ("
        " 'provider' = 'generic-python', 'python-predict-class' = 'where.Where',"
        f" 'model-directory-path' = '{model_archive}', 'model-directory-ship' = 'true')"]
    return settings, statements


QUERY_SHIPPED = ("SELECT text, label, python_prefix, directory FROM ML_PREDICT(TABLE words,"
                 " MODEL m, DESCRIPTOR(text))")


def assert_shipped_rows(rows, client, cache):
    assert [r[:2] for r in rows] == [("a", "shipped a"), ("b", "shipped b")]
    [prefix] = {r[2] for r in rows}
    assert prefix.endswith(os.path.join("python-archives", "venv")), \
        f"the worker ran {prefix}, not the shipped virtualenv"
    assert not prefix.startswith(str(client)) and prefix != sys.prefix
    [directory] = {r[3] for r in rows}
    assert directory.startswith(str(cache)), directory


def test_pyflink_ships_the_model_and_a_virtualenv_to_taskmanagers_that_have_neither(
        cluster, packed_venv, tmp_path):
    """The submitting side packs the model and a virtualenv into archives and deletes the
    originals; the job ships both (model-directory-ship, python.archives), and the archives go
    too once it is submitted. The TaskManager runs the archive's interpreter on the shipped
    model."""
    client, cache = tmp_path / "client", tmp_path / "model-cache"
    settings, statements = shipping_statements(client, cache, packed_venv)
    t_env = cluster.table_env(parallelism=1)
    for key, value in settings.items():
        t_env.get_config().set(key, value)
    for statement in statements:
        t_env.execute_sql(statement)
    query = t_env.execute_sql(QUERY_SHIPPED)
    subprocess.run(["rm", "-rf", str(client)], check=True)  # submitted: nothing left to read
    try:
        with query.collect() as results:
            rows = sorted(tuple(row) for row in results)
    except Exception as e:
        raise AssertionError(f"the job failed: {str(e)[-4000:]}" + cluster.log_tails())
    assert_shipped_rows(rows, client, cache)
    assert cluster.jobs()[str(query.get_job_client().get_job_id())][1] == "FINISHED"


def test_a_sql_script_ships_the_model_and_a_virtualenv_with_set_lines(
        cluster, packed_venv, tmp_path):
    client, cache = tmp_path / "client", tmp_path / "model-cache"
    settings, statements = shipping_statements(client, cache, packed_venv)
    sink = tmp_path / "rows"
    settings.update({"execution.target": "remote", "rest.address": "localhost",
                     "rest.port": str(cluster.rest_port)})
    script = tmp_path / "job.sql"
    script.write_text("".join(f"SET '{k}' = '{v}';\n" for k, v in settings.items())
                      + "".join(s + ";\n" for s in statements)
                      + f"CREATE TEMPORARY TABLE sink (text STRING, label STRING, python_prefix"
                      f" STRING, directory STRING) WITH ('connector' = 'filesystem', 'path' ="
                      f" '{sink}', 'format' = 'csv');\n"
                      + f"INSERT INTO sink {QUERY_SHIPPED};\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYFLINK_")}
    done = subprocess.run([sys.executable, "-m", "pyflink_ml_predict", "run", str(script)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:] + cluster.log_tails()
    import csv

    rows = []
    for path in glob.glob(os.path.join(str(sink), "**", "*"), recursive=True):
        if os.path.isfile(path) and not os.path.basename(path).startswith("."):
            with open(path, encoding="utf-8", newline="") as f:
                rows += [tuple(row) for row in csv.reader(f)]
    assert_shipped_rows(sorted(rows), client, cache)


def test_a_model_on_another_file_system_is_fetched_by_the_taskmanager(cluster, tmp_path):
    """'loopback://' stands in for HDFS or S3: a file system only the TaskManagers have (so the
    model is not checked where the query is planned). Its directory is copied, its archive
    downloaded and extracted, into the TaskManager's model cache."""
    import zipfile

    store = tmp_path / "store"
    model = store / "model"
    model.mkdir(parents=True)
    (model / "where.py").write_text(SHIPPED_MODEL)
    (model / "greeting.txt").write_text("remote directory")
    with zipfile.ZipFile(store / "model.zip", "w") as z:
        z.write(model / "where.py", "where.py")
        z.writestr("greeting.txt", "remote archive")
    cache = tmp_path / "model-cache"
    for name, greeting in (("model", "remote directory"), ("model.zip", "remote archive")):
        t_env = cluster.table_env(parallelism=1)
        t_env.get_config().set("generic-python.model-cache.directory", str(cache))
        t_env.execute_sql("CREATE TEMPORARY VIEW words AS SELECT * FROM (VALUES ('a'), ('b'))"
                          " AS T(text)")
        t_env.execute_sql(
            "CREATE TEMPORARY MODEL m INPUT (text STRING)"
            " OUTPUT (label STRING, python_prefix STRING, directory STRING) WITH ("
            " 'provider' = 'generic-python', 'python-predict-class' = 'where.Where',"
            f" 'model-directory-path' = 'loopback://{store / name}',"
            " 'model-directory-check' = 'false')")
        try:
            with t_env.execute_sql(QUERY_SHIPPED).collect() as results:
                rows = sorted(tuple(row) for row in results)
        except Exception as e:
            raise AssertionError(f"the job failed: {str(e)[-4000:]}" + cluster.log_tails())
        assert [r[:2] for r in rows] == [("a", f"{greeting} a"), ("b", f"{greeting} b")]
        [directory] = {r[3] for r in rows}
        assert directory.startswith(str(cache)) and not directory.startswith(str(store))


def test_versions_on_another_file_system_are_fetched_and_updated_while_the_job_runs(
        cluster, tmp_path):
    """A versioned model directory on 'loopback://': each version is fetched into the model
    cache by itself, and a version published while the job runs is fetched and served."""
    from test_model_versions import publish

    store = tmp_path / "store" / "versions"
    marks = tmp_path / "marks"
    store.mkdir(parents=True)
    marks.mkdir()
    publish(store, 1)
    cache = tmp_path / "model-cache"
    rows = 3000  # 15 s of rows: room for the 1 s listing, the fetch and the worker's 1 s look
    t_env = cluster.table_env(streaming=True, parallelism=1)
    t_env.get_config().set("generic-python.model-cache.directory", str(cache))
    t_env.execute_sql(f"CREATE TEMPORARY TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                      f" 'rows-per-second' = '200', 'fields.id.kind' = 'sequence',"
                      f" 'fields.id.start' = '1', 'fields.id.end' = '{rows}')")
    t_env.execute_sql(
        "CREATE TEMPORARY MODEL m INPUT (id BIGINT) OUTPUT (label STRING, `model-version` STRING)"
        " WITH ('provider' = 'generic-python', 'python-predict-class' = 'versioned.Versioned',"
        f" 'model-directory-path' = 'loopback://{store}', 'model-directory-check' = 'false',"
        " 'model-version' = 'latest', 'model-update-interval' = '1 s',"
        f" 'properties.marks' = '{marks}')")
    versions = []
    with t_env.execute_sql("SELECT id, `model-version` FROM ML_PREDICT(TABLE src, MODEL m,"
                           " DESCRIPTOR(id))").collect() as results:
        for row in results:
            versions.append(row[1])
            if len(versions) == 1:
                publish(store, 2)  # on the remote side, while the job runs
    assert len(versions) == rows
    assert set(versions) == {"1", "2"}, "version 2 was not served before the rows ran out"
    assert versions == sorted(versions), "the job went back to an older version"
    fetched = sorted(p.name for p in cache.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(fetched) == 2, f"each version is one cache entry: {fetched}"
