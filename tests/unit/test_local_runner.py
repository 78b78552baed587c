"""A PredictFunction without Flink: ``load_predict_function``, its batches, its errors, HTTP
serving on top of it, and the ``pyflink-ml-predict check`` and ``jar`` commands."""
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from paths import DEMO_MODEL as DEMO, MODELS, REPO as ROOT
from pyflink_ml_predict import PredictionError, load_predict_function

CLASS = "lexicon_sentiment.LexiconSentiment"
FORMATS = ["vectorized.PandasDouble", "vectorized.NumpyDouble", "vectorized.ArrowDouble"]


def test_local_predictions_start_no_jvm():
    script = f"""
import pyflink.java_gateway as gateway
from pyflink_ml_predict import load_predict_function
with load_predict_function({DEMO!r}, {CLASS!r}, "review STRING", "label STRING, score FLOAT",
                           {{"threshold": "0"}}) as model:
    print(model.predict_rows([{{"review": "I love this movie"}}, ("a terrible, boring film",)]))
print("jvm started:", gateway._gateway is not None)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "[[Row(label='positive', score=2.0)], [Row(label='negative', score=-1.75)]]" in done.stdout
    assert "jvm started: False" in done.stdout


def test_local_lifecycle_pandas_batches_and_errors_match_flink():
    import pandas as pd

    with load_predict_function(DEMO, CLASS, "review STRING", "label STRING, score FLOAT") as model:
        assert model.predict_batch(pd.DataFrame({"review": ["great fun", None]})) == [
            model.predict({"review": "great fun"}), []]
        assert model.function.threshold == 0.0  # open() ran
    with load_predict_function(MODELS, "failing.RaisesOnBad", "text STRING",
                               "label STRING, score FLOAT") as failing:
        with pytest.raises(PredictionError, match=r"failed on input row Row\(text='bad'\)"):
            failing.predict(["bad"])


def test_http_serving_answers_a_real_request_on_localhost():
    sys.path.insert(0, os.path.join(ROOT, "e2e", "serving"))
    from serve import make_server

    with load_predict_function(DEMO, CLASS, "review STRING", "label STRING, score FLOAT",
                               {"threshold": "0"}) as model:
        server = make_server(model, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            request = urllib.request.Request(
                base + "/predict", method="POST",
                data=json.dumps({"rows": [{"review": "I love this movie"},
                                          ["a terrible, boring film"]]}).encode())
            with urllib.request.urlopen(request, timeout=10) as response:
                body = json.loads(response.read())
            assert body == {"predictions": [[{"label": "positive", "score": 2.0}],
                                            [{"label": "negative", "score": -1.75}]]}
            with pytest.raises(urllib.error.HTTPError) as bad:
                urllib.request.urlopen(urllib.request.Request(
                    base + "/predict", method="POST", data=b'{"rows": [[1, 2]]}'), timeout=10)
            assert bad.value.code == 400
        finally:
            server.shutdown()
            server.server_close()


def cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "pyflink_ml_predict", *args],
                          capture_output=True, text=True, timeout=timeout)


def test_cli_check_runs_a_sample_row_and_reports_problems():
    ok = cli("check", DEMO, "--class", CLASS, "--input", "review STRING",
             "--output", "label STRING, score FLOAT", "--property", "threshold=0",
             "--row", '["I love this movie"]')
    assert ok.returncode == 0, ok.stderr
    assert "output: [Row(label='positive', score=2.0)]" in ok.stdout
    missing = cli("check", DEMO, "--class", "lexicon_sentiment.Nope")
    assert missing.returncode == 1 and "has no class 'Nope'" in missing.stderr
    wrong = cli("check", MODELS, "--class", "failing.WrongOutputType", "--input", "text STRING",
                "--output", "label STRING, score FLOAT")
    assert wrong.returncode == 1 and "output column 'score' (FLOAT)" in wrong.stderr


def test_cli_jar_prints_the_jar_path():
    done = cli("jar")
    assert done.returncode == 0 and done.stdout.strip().endswith("pyflink-ml-predict.jar")
    assert os.path.isfile(done.stdout.strip())


@pytest.mark.parametrize("predict_class", FORMATS)
def test_columnar_classes_work_without_flink_and_row_by_row(predict_class):
    with load_predict_function(MODELS, predict_class, "x DOUBLE, name STRING",
                               "y DOUBLE, shout STRING, n BIGINT") as model:
        assert [list(r[0]) for r in model.predict_rows([(1.5, "a"), (None, None)])] == [
            [3.0, "A", 2], [None, None, 2]]
        (row,) = model.function.predict(model.input_rows([(2.0, "z")])[0])  # the UDTF path
        assert list(row) == [4.0, "Z", 1]


def test_a_columnar_result_of_the_wrong_length_is_explained():
    with load_predict_function(MODELS, "vectorized.WrongLength", "x DOUBLE, name STRING",
                               "y DOUBLE, shout STRING, n BIGINT") as model:
        with pytest.raises(PredictionError, match="returned 1 values for column 'y' but the"
                                                  " batch has 2 rows"):
            model.predict_rows([(1.0, "a"), (2.0, "b")])


def test_short_binary_inputs_are_padded_as_in_a_job_and_short_results_refused():
    inputs = "b BINARY(4), a ARRAY<BINARY(2)>"
    with load_predict_function(MODELS, "types_echo.Echo", inputs,
                               "py_types STRING, b BINARY(4), a ARRAY<BINARY(2)>") as model:
        (row,) = model.predict([b"\x01", [b"\x02", None]])
        assert (row.b, row.a) == (b"\x01\x00\x00\x00", [b"\x02\x00", None])
    with load_predict_function(MODELS, "types_echo.Echo", "b BYTES",
                               "py_types STRING, o BINARY(4)") as model:
        with pytest.raises(PredictionError, match="output column 'o' \\(BINARY\\(4\\)\\)"):
            model.predict([b"\x01"])


def test_cli_check_makes_up_a_sample_row_for_every_type():
    ok = cli("check", MODELS, "--class", "types_echo.Echo", "--input",
             "b BINARY(4), t TIMESTAMP_LTZ(3), d DECIMAL(5, 2), r ROW<x INT>, m MAP<STRING, INT>",
             "--output", "py_types STRING, b BINARY(4), t TIMESTAMP_LTZ(3), d DECIMAL(5, 2),"
             " r ROW<x INT>, m MAP<STRING, INT>")
    assert ok.returncode == 0, ok.stderr
    assert "output: [Row(py_types='bytes|datetime+tz|Decimal|Row(int)|dict{str:int}'" in ok.stdout
