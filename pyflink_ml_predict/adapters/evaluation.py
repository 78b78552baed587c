"""ML_EVALUATE for this project's tools: ML_PREDICT plus the provider jar's
``ML_EVALUATE_METRICS`` aggregate, run by Flink.

The metrics themselves, the task names and which OUTPUT column is the prediction are the jar's
(``io.pyflinkml.predict.evaluate``); this module only writes the SQL that asks Flink for them,
for ``pyflink-ml-predict run`` (which rewrites ``ML_EVALUATE(...)`` calls) and
``GenericPythonModel.evaluate``.
"""
from typing import Optional

from .ml_evaluate_sql import find_evaluate_calls

__all__ = ["FUNCTION", "metrics_sql", "register_metrics_function", "rewrite_ml_evaluate"]

FUNCTION = "ML_EVALUATE_METRICS"


def _jvm_evaluate():
    from pyflink.java_gateway import get_gateway

    return get_gateway().jvm.io.pyflinkml.predict.evaluate


def register_metrics_function(t_env) -> None:
    """Registers ``ML_EVALUATE_METRICS`` in ``t_env`` (the jar's own statement; idempotent)."""
    t_env.execute_sql(_jvm_evaluate().MlEvaluateMetrics.REGISTER)


def metrics_sql(t_env, predictions_sql: str, model: str, label: str,
                task: Optional[str]) -> str:
    """A query of one row, the metrics MAP of ``predictions_sql`` (an ML_PREDICT of
    ``model``, a name as SQL writes it) with ``label`` (a column as SQL writes it) as truth.

    ``task`` None takes the model's 'task' option. The prediction is the model's first OUTPUT
    column, found by position in the planned query (Flink renames an OUTPUT column that clashes
    with an input column)."""
    register_metrics_function(t_env)
    rules = _jvm_evaluate().ModelEvaluation
    name = model.replace("`", "")
    task = rules.task(t_env._j_tenv, name, task)
    columns = t_env.sql_query(predictions_sql).get_schema().get_field_names()
    prediction = columns[-rules.predictionFromEnd(t_env._j_tenv, name)]
    return (f"SELECT {FUNCTION}('{task}', {label}, `{prediction.replace('`', '``')}`)"
            f" AS metrics FROM ({predictions_sql})")


def rewrite_ml_evaluate(t_env, statement: str) -> str:
    """``statement`` with each ``ML_EVALUATE(...)`` call replaced by a subquery of ML_PREDICT
    and ``ML_EVALUATE_METRICS``; unchanged when it has none."""
    calls = find_evaluate_calls(statement)
    for call in reversed(calls):  # from the end, so earlier positions stay valid
        predict = (f"SELECT * FROM ML_PREDICT(TABLE {call.table}, MODEL {call.model},"
                   f" DESCRIPTOR({', '.join(call.features)})"
                   f"{', ' + call.map if call.map else ''})")
        query = metrics_sql(t_env, predict, call.model, call.label, call.task)
        statement = f"{statement[:call.start]}({query}){statement[call.end:]}"
    return statement
