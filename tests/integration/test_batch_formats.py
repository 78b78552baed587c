"""Vectorized predict_batch in each batch_format, through real ML_PREDICT and without Flink."""
import pytest

from flink_jobs import collect, create_model

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


def test_fixed_length_arrays_arrive_as_a_2d_array_and_return_from_one(batch_env):
    batch_env.execute_sql("CREATE TEMPORARY VIEW src AS SELECT CAST(v AS ARRAY<FLOAT>) AS v FROM"
                          " (VALUES (ARRAY[1.0, 2.0]), (ARRAY[3.0, 4.0])) AS T(v)")
    create_model(batch_env, "m", "v ARRAY<FLOAT>", "e ARRAY<FLOAT>", "vectorized.TwiceVectors")
    rows = collect(batch_env, "SELECT e FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(v))")
    assert sorted(rows) == [([2.0, 4.0],), ([6.0, 8.0],)]


