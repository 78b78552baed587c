"""FLIP-525's ML_EVALUATE as pyflink-ml-predict run reads it from SQL text (no JVM)."""
import re

import pytest

from pyflink_ml_predict.adapters.ml_evaluate_sql import find_evaluate_calls


def test_positional_arguments_with_task_and_map():
    sql = ("SELECT * FROM ML_EVALUATE(TABLE `eval_data`, MODEL `classifier_model`,"
           " DESCRIPTOR(label), DESCRIPTOR(f1, f2), task => 'classification',"
           " MAP['async', 'true'])")
    [call] = find_evaluate_calls(sql)
    assert (call.table, call.model, call.label, call.features, call.task, call.map) == (
        "`eval_data`", "`classifier_model`", "label", ["f1", "f2"], "classification",
        "MAP['async', 'true']")
    assert sql[call.start:call.end].startswith("ML_EVALUATE(") and sql[call.end - 1] == ")"


def test_named_arguments_as_in_the_flip():
    [call] = find_evaluate_calls(
        "SELECT * FROM ML_EVALUATE(input => TABLE eval_data, model_input => MODEL m,"
        " label => DESCRIPTOR(y), features => DESCRIPTOR(f1, f2), task => 'regression')")
    assert (call.table, call.model, call.label, call.features, call.task, call.map) == (
        "eval_data", "m", "y", ["f1", "f2"], "regression", None)


def test_a_bare_string_after_the_descriptors_is_the_task_and_none_leaves_it_to_the_model():
    [with_task, without] = find_evaluate_calls(
        "SELECT * FROM ml_evaluate(TABLE t, MODEL m, DESCRIPTOR(y), DESCRIPTOR(x), 'embedding')"
        " UNION ALL SELECT * FROM ML_EVALUATE (TABLE t, MODEL m, DESCRIPTOR(y), DESCRIPTOR(x))")
    assert with_task.task == "embedding" and without.task is None


def test_calls_inside_strings_and_comments_are_not_calls():
    sql = ("SELECT 'ML_EVALUATE(TABLE t)' -- ML_EVALUATE(\n"
           "/* ML_EVALUATE( */ FROM t")
    assert find_evaluate_calls(sql) == []


def test_brackets_and_commas_inside_arguments_stay_in_them():
    [call] = find_evaluate_calls(
        "SELECT * FROM ML_EVALUATE(TABLE t, MODEL m, DESCRIPTOR(y), DESCRIPTOR(x),"
        " MAP['a', 'b,c)'], task => 'it''s')")
    assert call.map == "MAP['a', 'b,c)']" and call.task == "it's"


@pytest.mark.parametrize("arguments,problem", [
    ("TABLE t, MODEL m, DESCRIPTOR(y)", "missing ['features']"),
    ("TABLE t, MODEL m, DESCRIPTOR(y, z), DESCRIPTOR(x)", "must name one column"),
    ("t, MODEL m, DESCRIPTOR(y), DESCRIPTOR(x)", "the input argument must read TABLE t"),
    ("TABLE t, m, DESCRIPTOR(y), DESCRIPTOR(x)", "the model argument must read MODEL m"),
    ("TABLE t, MODEL m, y, DESCRIPTOR(x)", "the label argument must be DESCRIPTOR(...)"),
    ("TABLE t, MODEL m, DESCRIPTOR(y), DESCRIPTOR(x), task => classification",
     "the task must be a string literal"),
    ("TABLE t, MODEL m, DESCRIPTOR(y), DESCRIPTOR(x), colour => 'red'",
     "unknown arguments ['colour']"),
    ("TABLE t, MODEL m, DESCRIPTOR(y), DESCRIPTOR(x), 'a', 'b'", "the task argument is given"
     " twice"),
])
def test_malformed_calls_say_what_is_wrong(arguments, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        find_evaluate_calls(f"SELECT * FROM ML_EVALUATE({arguments})")


def test_an_unclosed_call_is_refused():
    with pytest.raises(ValueError, match="never closed"):
        find_evaluate_calls("SELECT * FROM ML_EVALUATE(TABLE t, MODEL m")
