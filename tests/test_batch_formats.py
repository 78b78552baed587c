"""Vectorized predict_batch in each batch_format, through real ML_PREDICT and without Flink."""
import pytest

from conftest import MODELS, collect, create_model
from pyflink_ml_predict import PredictionError, load_predict_function

SOURCE = ("SELECT * FROM (VALUES (CAST(1.5 AS DOUBLE), 'a'), (CAST(-2 AS DOUBLE), 'bb'),"
          " (CAST(NULL AS DOUBLE), CAST(NULL AS STRING))) AS T(x, name)")
FORMATS = ["vectorized.PandasDouble", "vectorized.NumpyDouble", "vectorized.ArrowDouble"]


@pytest.mark.parametrize("predict_class", FORMATS)
def test_columnar_batches_through_ml_predict(batch_env, predict_class):
    batch_env.execute_sql(f"CREATE TEMPORARY VIEW src AS {SOURCE}")
    create_model(batch_env, "m", "x DOUBLE, name STRING", "y DOUBLE, shout STRING, n BIGINT",
                 predict_class)
    rows = collect(batch_env, "SELECT name, y, shout, n FROM ML_PREDICT(TABLE src, MODEL m,"
                              " DESCRIPTOR(x, name), MAP['max-concurrent-operations', '100',"
                              " 'batch-timeout', '2 s'])")  # one batch, even on a slow start
    assert sorted(rows, key=str) == sorted(
        [("a", 3.0, "A", 3), ("bb", -4.0, "BB", 3), (None, None, None, 3)], key=str)


@pytest.mark.parametrize("predict_class", FORMATS)
def test_columnar_classes_work_without_flink_and_row_by_row(predict_class):
    with load_predict_function(MODELS, predict_class, "x DOUBLE, name STRING",
                               "y DOUBLE, shout STRING, n BIGINT") as model:
        assert [list(r[0]) for r in model.predict_rows([(1.5, "a"), (None, None)])] == [
            [3.0, "A", 2], [None, None, 2]]
        (row,) = model.function.predict(model.input_rows([(2.0, "z")])[0])  # the UDTF path
        assert list(row) == [4.0, "Z", 1]


def test_fixed_length_arrays_arrive_as_a_2d_array_and_return_from_one(batch_env):
    batch_env.execute_sql("CREATE TEMPORARY VIEW src AS SELECT CAST(v AS ARRAY<FLOAT>) AS v FROM"
                          " (VALUES (ARRAY[1.0, 2.0]), (ARRAY[3.0, 4.0])) AS T(v)")
    create_model(batch_env, "m", "v ARRAY<FLOAT>", "e ARRAY<FLOAT>", "vectorized.TwiceVectors")
    rows = collect(batch_env, "SELECT e FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(v))")
    assert sorted(rows) == [([2.0, 4.0],), ([6.0, 8.0],)]


def test_a_columnar_result_of_the_wrong_length_is_explained():
    with load_predict_function(MODELS, "vectorized.WrongLength", "x DOUBLE, name STRING",
                               "y DOUBLE, shout STRING, n BIGINT") as model:
        with pytest.raises(PredictionError, match="returned 1 values for column 'y' but the"
                                                  " batch has 2 rows"):
            model.predict_rows([(1.0, "a"), (2.0, "b")])
