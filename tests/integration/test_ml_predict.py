"""Real Flink SQL ML_PREDICT on PyFlink's local mini-cluster: the provider end to end."""
import pytest

from flink_jobs import assert_workers_gone, collect, create_model, new_table_env

WORDS = "SELECT * FROM (VALUES ('a'), ('bb'), ('ccc')) AS T(text)"


@pytest.mark.parametrize("streaming", [False, True], ids=["batch", "streaming"])
@pytest.mark.parametrize("use_async", ["true", "false"], ids=["async", "sync"])
@pytest.mark.parametrize("mode", ["process", "thread"])
def test_predict_returns_input_and_output_columns(streaming, use_async, mode):
    t_env = new_table_env(streaming=streaming)
    t_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "basic.Upper",
                 **{"properties.suffix": "!", "execution-mode": mode})
    rows = collect(t_env, "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text),"
                          f" MAP['async', '{use_async}'])")
    assert sorted(rows) == [("a", "A!", 1.0), ("bb", "BB!", 2.0), ("ccc", "CCC!", 3.0)]


def test_select_list_and_where_work_on_model_output(batch_env):
    batch_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(batch_env, "m", "text STRING", "label STRING, score FLOAT", "basic.Upper")
    rows = collect(batch_env, "SELECT label FROM ML_PREDICT(TABLE words, MODEL m,"
                              " DESCRIPTOR(text)) WHERE score > 1")
    assert sorted(rows) == [("BB",), ("CCC",)]


@pytest.mark.parametrize("use_async", ["true", "false"], ids=["async", "sync"])
def test_zero_rows_drop_the_input_and_several_repeat_it(batch_env, use_async):
    batch_env.execute_sql("CREATE TEMPORARY VIEW src AS SELECT * FROM (VALUES (0, 'none'),"
                          " (1, 'one'), (3, 'three')) AS T(n, name)")
    create_model(batch_env, "m", "n INT", "i INT", "basic.Repeat")
    rows = collect(batch_env, "SELECT name, i FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(n),"
                              f" MAP['async', '{use_async}'])")
    assert sorted(rows) == [("one", 0), ("three", 0), ("three", 1), ("three", 2)]


def test_rows_with_named_fields_map_by_name(batch_env):
    batch_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(batch_env, "m", "text STRING", "label STRING, score DOUBLE", "basic.NamedFields")
    rows = collect(batch_env, "SELECT label, score FROM ML_PREDICT(TABLE words, MODEL m,"
                              " DESCRIPTOR(text))")
    assert sorted(rows) == [("a", 1.5), ("bb", 1.5), ("ccc", 1.5)]


def test_class_in_a_sub_package_loads(batch_env):
    batch_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(batch_env, "m", "text STRING", "label STRING, score FLOAT", "pkg.sub.deep.Deep")
    rows = collect(batch_env, "SELECT label FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))")
    assert sorted(rows) == [("deep:a",), ("deep:bb",), ("deep:ccc",)]


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_two_models_in_one_query_keep_their_own_config(batch_env, mode):
    # Chained rather than joined: Flink 2.3's optimizer merges two ML_PREDICT calls over the
    # same input when the models' schemas are identical (it reuses the first model's sub-plan).
    batch_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    for name, tag in (("m1", "first"), ("m2", "second")):
        create_model(batch_env, name, "text STRING",
                     f"pid_{name} BIGINT, subtask_{name} INT, tag_{name} STRING",
                     "basic.WhoAmI", **{"properties.a.tag": tag, "execution-mode": mode})
    batch_env.execute_sql("CREATE TEMPORARY VIEW first_pass AS SELECT * FROM"
                          " ML_PREDICT(TABLE words, MODEL m1, DESCRIPTOR(text))")
    rows = collect(batch_env, "SELECT text, tag_m1, tag_m2, pid_m1, pid_m2 FROM"
                              " ML_PREDICT(TABLE first_pass, MODEL m2, DESCRIPTOR(text))")
    assert sorted(r[:3] for r in rows) == [
        ("a", "first", "second"), ("bb", "first", "second"), ("ccc", "first", "second")]
    if mode == "process":  # a worker each
        assert len({r[3] for r in rows} | {r[4] for r in rows}) == 2


def test_parallel_subtasks_each_have_a_worker_and_lose_no_row(tmp_path):
    t_env = new_table_env(streaming=True, parallelism=2)
    t_env.execute_sql("""CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' = 'datagen',
        'number-of-rows' = '2000', 'rows-per-second' = '1000000', 'fields.text.length' = '8')""")
    create_model(t_env, "m", "text STRING", "pid BIGINT, subtask INT, tag STRING",
                 "basic.WhoAmI", **{"properties.a.tag": "x", "properties.pid-dir": str(tmp_path)})
    rows = collect(t_env, "SELECT text, pid, subtask FROM ML_PREDICT(TABLE src, MODEL m,"
                          " DESCRIPTOR(text))")
    assert len(rows) == 2000
    assert {r[2] for r in rows} == {0, 1}
    assert len({r[1] for r in rows}) == 2
    assert_workers_gone(tmp_path)


def test_async_path_sends_rows_in_batches_and_the_map_overrides_batch_size(stream_env):
    stream_env.execute_sql("""CREATE TEMPORARY TABLE src (text STRING) WITH ('connector' =
        'datagen', 'number-of-rows' = '500', 'rows-per-second' = '1000000')""")
    create_model(stream_env, "m", "text STRING", "n INT", "basic.BatchSize")
    default = collect(stream_env, "SELECT n FROM ML_PREDICT(TABLE src, MODEL m,"
                                  " DESCRIPTOR(text), MAP['max-concurrent-operations', '100'])")
    assert len(default) == 500
    assert max(n for (n,) in default) > 1  # batching happened
    assert max(n for (n,) in default) <= 100  # never beyond the in-flight cap
    one = collect(stream_env, "SELECT n FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(text),"
                              " MAP['batch-size', '1'])")
    assert {n for (n,) in one} == {1}
