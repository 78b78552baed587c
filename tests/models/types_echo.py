"""Echoes every INPUT column back and reports the Python types the values arrived as."""
from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


def type_names(value):
    if isinstance(value, Row):
        return "Row(" + ",".join(type_names(v) for v in value) + ")"
    if isinstance(value, list):
        return "list[" + ",".join(type_names(v) for v in value) + "]"
    if isinstance(value, dict):
        return "dict{" + ",".join(type_names(k) + ":" + type_names(v) for k, v in value.items()) + "}"
    if getattr(value, "tzinfo", None) is not None:
        return type(value).__name__ + "+tz"
    return type(value).__name__


class Echo(PredictFunction):
    """OUTPUT is (py_types STRING, then one column per INPUT column, in the same order)."""

    def predict(self, data):
        values = list(data)
        return [["|".join(type_names(v) for v in values)] + values]
