"""One wheel for Flink 2.1, 2.2 and 2.3: what the installed Flink can do runs, what it cannot
is refused by name, and the jar reaches sessions that PyFlink starts from a Flink distribution.
CI runs this file on each of the three releases."""
import os
import subprocess
import sys
import zipfile

import pytest

from flink_jobs import _undo_class_loader_growth, collect, create_model, plans_batch_ml_predict
from paths import DEMO_MODEL, REPO

WORDS = "SELECT * FROM (VALUES ('a'), ('bb'), ('ccc')) AS T(text)"


def installed_flink():
    from pyflink.version import __version__

    return __version__


def test_the_jar_knows_the_flink_it_runs_in():
    from pyflink.java_gateway import get_gateway

    release = get_gateway().jvm.io.pyflinkml.predict.FlinkRelease.RUNNING
    assert release.version() == installed_flink()
    assert release.plansBatchMlPredict() == plans_batch_ml_predict()


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_batch_ml_predict_runs_or_is_refused_naming_the_flink_version(mode):
    from pyflink.table import EnvironmentSettings, TableEnvironment

    _undo_class_loader_growth()
    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    t_env.get_config().set("python.executable", sys.executable)
    t_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "basic.Upper",
                 **{"execution-mode": mode})
    query = "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))"
    if plans_batch_ml_predict():
        assert sorted(collect(t_env, query)) == [("a", "A", 1.0), ("bb", "BB", 2.0),
                                                 ("ccc", "CCC", 3.0)]
        return
    with pytest.raises(Exception) as refused:
        collect(t_env, query)
    message = str(refused.value)
    assert (f"Model 'default_catalog.default_database.m': Flink {installed_flink()} cannot run"
            " ML_PREDICT in batch mode") in message
    assert "SET 'execution.runtime-mode' = 'streaming'" in message
    assert "Cannot generate a valid execution plan" not in message


def test_jar_command_prints_the_jar_of_this_install():
    import pyflink_ml_predict

    done = subprocess.run([sys.executable, "-m", "pyflink_ml_predict", "jar"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    path = done.stdout.strip()
    assert os.path.isfile(path) and path == pyflink_ml_predict.jar_path()
    assert f"for Flink {installed_flink()}" in done.stderr
    with zipfile.ZipFile(path) as jar:
        manifest = jar.read("META-INF/MANIFEST.MF").decode()
        assert f"Implementation-Version: {pyflink_ml_predict.__version__}" in manifest
        assert "META-INF/LICENSE" in jar.namelist() and "META-INF/NOTICE" in jar.namelist()


@pytest.fixture
def distribution_without_the_jar(tmp_path):
    """A Flink distribution (FLINK_HOME) made of the installed PyFlink's files, but for this
    package's jar: what a user who points FLINK_HOME at a downloaded Flink has."""
    import pyflink

    from pyflink_ml_predict.jar import JAR_NAME

    pyflink_home = os.path.dirname(pyflink.__file__)
    home = tmp_path / "flink"
    (home / "lib").mkdir(parents=True)
    for folder in ("bin", "conf", "opt", "plugins"):
        (home / folder).symlink_to(os.path.join(pyflink_home, folder))
    (home / "log").mkdir()
    for jar in os.listdir(os.path.join(pyflink_home, "lib")):
        if jar != JAR_NAME:
            (home / "lib" / jar).symlink_to(os.path.join(pyflink_home, "lib", jar))
    return home


PREDICT_WITH_THE_TABLE_API = f"""
import sys
from pyflink.table import EnvironmentSettings, TableEnvironment
from pyflink_ml_predict import GenericPythonModel
t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
t_env.get_config().set("python.executable", sys.executable)
reviews = t_env.from_elements([("I love this movie",), ("awful",)], ["review"])
model = GenericPythonModel(
    model_directory={DEMO_MODEL!r}, predict_class="lexicon_sentiment.LexiconSentiment",
    input_schema="review STRING", output_schema="label STRING, score FLOAT",
    properties={{"threshold": "0"}})
with model.predict(t_env, reviews, ["review"]).execute().collect() as rows:
    print(sorted((r[0], r[1]) for r in rows))
"""


def test_tools_add_the_jar_where_flink_home_lacks_it(distribution_without_the_jar, tmp_path):
    env = dict(os.environ, FLINK_HOME=str(distribution_without_the_jar))
    done = subprocess.run([sys.executable, "-c", PREDICT_WITH_THE_TABLE_API], env=env,
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "[('I love this movie', 'positive'), ('awful', 'negative')]" in done.stdout

    script = tmp_path / "demo.sql"
    script.write_text(f"""
        CREATE TEMPORARY TABLE reviews (id INT, review STRING, truth STRING) WITH (
          'connector' = 'filesystem', 'format' = 'csv',
          'path' = '{os.path.join(REPO, "e2e", "demo", "reviews.csv")}');
        CREATE TEMPORARY MODEL sentiment INPUT (review STRING) OUTPUT (label STRING, score FLOAT)
        WITH ('provider' = 'generic-python', 'model-directory-path' = '{DEMO_MODEL}',
              'python-predict-class' = 'lexicon_sentiment.LexiconSentiment',
              'properties.threshold' = '0');
        SELECT id, label FROM ML_PREDICT(TABLE reviews, MODEL sentiment, DESCRIPTOR(review))
          WHERE id = 2;
    """)
    done = subprocess.run([sys.executable, "-m", "pyflink_ml_predict", "run", str(script),
                           "--streaming"], env=env, capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "this Flink's lib/ lacks it" in done.stderr
    assert "negative" in done.stdout and "positive" not in done.stdout
