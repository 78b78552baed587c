"""Every type a model can declare crosses into Python and back unchanged, NULLs included."""
import pytest

from flink_jobs import collect, create_model, new_table_env

# (column, Flink type, SQL literal, Python type name the model must see)
TYPES = [
    ("c_bool", "BOOLEAN", "TRUE", "bool"),
    ("c_tiny", "TINYINT", "CAST(-7 AS TINYINT)", "int"),
    ("c_small", "SMALLINT", "CAST(300 AS SMALLINT)", "int"),
    ("c_int", "INT", "-2147483648", "int"),
    ("c_big", "BIGINT", "CAST(9223372036854775807 AS BIGINT)", "int"),
    ("c_float", "FLOAT", "CAST(1.5 AS FLOAT)", "float"),
    ("c_double", "DOUBLE", "CAST(-2.25E300 AS DOUBLE)", "float"),
    ("c_dec", "DECIMAL(12, 3)", "CAST(123456789.125 AS DECIMAL(12, 3))", "Decimal"),
    ("c_char", "CHAR(3)", "CAST('ab' AS CHAR(3))", "str"),
    ("c_str", "STRING", "'héllo, 世界 ✓'", "str"),
    ("c_bin", "BINARY(2)", "X'0aff'", "bytes"),
    ("c_bytes", "BYTES", "X'00010203'", "bytes"),
    ("c_date", "DATE", "DATE '2024-02-29'", "date"),
    ("c_time", "TIME(0)", "TIME '23:59:58'", "time"),
    ("c_ts", "TIMESTAMP(3)", "TIMESTAMP '2024-01-02 03:04:05.678'", "datetime"),
    ("c_ts6", "TIMESTAMP(6)", "CAST('1969-07-20 20:17:40.123456' AS TIMESTAMP(6))", "datetime"),
    ("c_ltz", "TIMESTAMP_LTZ(3)", "TO_TIMESTAMP_LTZ(1700000000123, 3)", "datetime+tz"),
    ("c_arr", "ARRAY<INT>", "ARRAY[1, 2, 3]", "list[int,int,int]"),
    ("c_map", "MAP<STRING, DOUBLE>", "MAP['k', CAST(0.5 AS DOUBLE)]", "dict{str:float}"),
    ("c_row", "ROW<a INT, b STRING>", "ROW(1, 'x')", "Row(int,str)"),
    ("c_nested", "ARRAY<ROW<x DOUBLE, tags ARRAY<STRING>>>",
     "ARRAY[ROW(CAST(1.0 AS DOUBLE), ARRAY['p', 'q'])]", "list[Row(float,list[str,str])]"),
]


def _model_and_source(t_env, mode, use_async):
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type, _, _ in TYPES)
    outputs = ", ".join(f"o_{name} {sql_type}" for name, sql_type, _, _ in TYPES)
    values = ", ".join(f"{literal} AS {name}" for name, _, literal, _ in TYPES)
    nulls = ", ".join(f"CAST(NULL AS {sql_type}) AS {name}" for name, sql_type, _, _ in TYPES)
    t_env.execute_sql(f"CREATE TEMPORARY VIEW src AS SELECT 'values' AS tag, {values}"
                      f" UNION ALL SELECT 'nulls' AS tag, {nulls}")
    create_model(t_env, "echo", columns, f"py_types STRING, {outputs}", "types_echo.Echo",
                 **{"execution-mode": mode})
    descriptor = ", ".join(name for name, _, _, _ in TYPES)
    same = ", ".join(
        f"CAST({name} AS STRING) IS NOT DISTINCT FROM CAST(o_{name} AS STRING)"
        for name, _, _, _ in TYPES)
    return collect(t_env, f"SELECT tag, py_types, {same} FROM ML_PREDICT(TABLE src, MODEL echo,"
                          f" DESCRIPTOR({descriptor}), MAP['async', '{use_async}'])")


@pytest.mark.parametrize("mode,use_async", [("process", "true"), ("thread", "false")])
def test_every_type_round_trips_with_python_types_and_nulls(mode, use_async):
    rows = {row[0]: row for row in _model_and_source(new_table_env(), mode, use_async)}
    assert set(rows) == {"values", "nulls"}
    for tag, row in rows.items():
        unchanged = dict(zip((name for name, _, _, _ in TYPES), row[2:]))
        assert all(unchanged.values()), f"{tag}: columns changed by the round trip: " + str(
            [name for name, same in unchanged.items() if not same])
    seen = dict(zip((name for name, _, _, _ in TYPES), rows["values"][1].split("|")))
    assert seen == {name: expected for name, _, _, expected in TYPES}
    assert set(rows["nulls"][1].split("|")) == {"NoneType"}


def test_timestamp_ltz_reaches_python_as_utc(batch_env):
    batch_env.execute_sql("CREATE TEMPORARY VIEW src AS SELECT TO_TIMESTAMP_LTZ(0, 3) AS ts")
    create_model(batch_env, "m", "ts TIMESTAMP_LTZ(3)", "py_types STRING, o STRING",
                 "types_echo.Echo")
    # Echo returns the datetime itself for a STRING column: that must fail, naming the column.
    with pytest.raises(Exception) as excinfo:
        collect(batch_env, "SELECT * FROM ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(ts))")
    message = str(excinfo.value)
    assert "output column 'o'" in message
    assert "datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)" in message


@pytest.mark.parametrize("use_async", ["true", "false"], ids=["async", "sync"])
def test_columns_of_implicitly_castable_types_reach_python_in_the_model_types(batch_env,
                                                                              use_async):
    # Flink 2.3 accepts these descriptor columns but passes them uncast; the provider casts.
    batch_env.execute_sql("CREATE TEMPORARY VIEW src AS SELECT * FROM (VALUES (1, 2.5,"
                          " CAST(3 AS TINYINT), CAST(0.25 AS FLOAT))) AS T(i, d, t, f)")
    create_model(batch_env, "m", "i BIGINT, d DOUBLE, t DECIMAL(6, 2), f DOUBLE",
                 "py_types STRING, oi BIGINT, od DOUBLE, ot DECIMAL(6, 2), o_f DOUBLE",
                 "types_echo.Echo")
    rows = collect(batch_env, "SELECT py_types, oi, od, CAST(ot AS STRING), o_f FROM"
                              " ML_PREDICT(TABLE src, MODEL m, DESCRIPTOR(i, d, t, f),"
                              f" MAP['async', '{use_async}'])")
    assert rows == [("int|float|Decimal|float", 1, 2.5, "3.00", 0.25)]
