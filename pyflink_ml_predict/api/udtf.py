"""A configured PredictFunction as a plain PyFlink ``udtf``.

Choose this over the provider when a Table API program wants PyFlink's own Python runtime:
its Python environment and dependency management (``add_python_file``, ``python.archives``,
``python.requirements``), its process or thread execution mode, and Python UDF metrics. The
provider (``ML_PREDICT`` with ``generic-python``) needs none of that set up, batches rows
through the async path, runs from SQL and the SQL client, and reports model errors with the
model's name; the UDTF path converts values with PyFlink's own conversion (TIMESTAMP_LTZ, for
example, arrives as PyFlink gives it) and calls ``predict`` row by row.
"""
import os
import sys
from typing import Optional

from pyflink.table.udf import udtf

__all__ = ["as_udtf"]


def as_udtf(function, name: Optional[str] = None):
    """Wraps a configured ``PredictFunction`` instance into a PyFlink table function.

    The instance crosses into PyFlink's Python worker by cloudpickle with its model config;
    modules loaded from the model directory are pickled by value, so the worker need not
    have the directory on its path to unpickle the class (it is put there for ``open``).
    """
    if function.model_config is None:
        raise ValueError(f"{type(function).__name__} has no model config: call"
                         " set_model_config(json) or load it with load_predict_function first")
    _pickle_model_modules_by_value(function.model_directory)
    result_types = [c.type.to_data_type() for c in function.output_schema]
    return udtf(function, result_types=result_types,
                name=name or type(function).__name__)


def _pickle_model_modules_by_value(model_directory: str) -> None:
    import cloudpickle

    root = os.path.join(os.path.abspath(model_directory), "")
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and os.path.abspath(path).startswith(root):
            try:
                cloudpickle.register_pickle_by_value(module)
            except ValueError:
                pass  # already registered, or a module cloudpickle cannot handle
