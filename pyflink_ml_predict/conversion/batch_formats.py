"""The batch formats a PredictFunction can choose for ``predict_batch`` (``batch_format``).

- ``"rows"`` (default): a list of PyFlink ``Row``; returns one list of output rows per input row.
- ``"pandas"``: a ``pandas.DataFrame`` with the INPUT columns (pyarrow's ``to_pandas``).
- ``"numpy"``: a dict of column name to ``numpy.ndarray``.
- ``"pyarrow"``: a ``pyarrow.RecordBatch`` with the INPUT columns, as Flink sent it.

Columnar formats return exactly one output row per input row, as columns: a DataFrame, a
RecordBatch or Table, or a dict of OUTPUT column name to array-like (numpy array, pandas
Series, pyarrow Array, list). A 2-D numpy array fills an ARRAY column row by row. In the
pandas and numpy formats NaN in a result means NULL, as NULL numbers arrive as NaN; return
pyarrow arrays to emit a real NaN.
"""
from typing import Any, Callable, List

import numpy as np
import pyarrow as pa

from pyflink.common import Row

from ..sql_types import Column, arrow_schema
from .arrow_values import RowEncoder, to_arrow_fix
from .errors import ConversionError
from .output_rows import row_values

__all__ = ["BATCH_FORMATS", "columnar_result", "predict_one", "to_batch_format"]

BATCH_FORMATS = ("rows", "pandas", "numpy", "pyarrow")


def to_batch_format(batch: pa.RecordBatch, batch_format: str) -> Any:
    """The input batch in a columnar format (``rows`` is handled by the row decoder)."""
    if batch_format == "pyarrow":
        return batch
    if batch_format == "pandas":
        return batch.to_pandas()
    if batch_format == "numpy":
        return {name: _to_numpy(column) for name, column in zip(batch.schema.names, batch.columns)}
    raise ValueError(f"batch_format must be one of {BATCH_FORMATS}, got {batch_format!r}")


def _to_numpy(column: pa.Array) -> np.ndarray:
    if pa.types.is_list(column.type) and column.null_count == 0:
        values = column.flatten()
        lengths = np.diff(column.offsets.to_numpy())
        if len(lengths) and (lengths == lengths[0]).all() and values.null_count == 0:
            return values.to_numpy(zero_copy_only=False).reshape(len(column), lengths[0])
    return column.to_numpy(zero_copy_only=False)


def columnar_result(result: Any, columns: List[Column], schema: pa.Schema, rows: int,
                    describe: Callable[[], str]) -> pa.RecordBatch:
    """Turns a columnar ``predict_batch`` result into the OUTPUT record batch."""
    if isinstance(result, (pa.RecordBatch, pa.Table)):
        data = {name: result.column(name) for name in result.schema.names}
    elif hasattr(result, "to_dict") and hasattr(result, "columns"):  # a pandas DataFrame
        data = {name: result[name] for name in result.columns}
    elif isinstance(result, dict):
        data = result
    else:
        raise ConversionError(
            f"predict_batch of a columnar batch_format must return a DataFrame, RecordBatch,"
            f" Table or dict of columns, got {type(result).__name__}")
    names = [c.name for c in columns]
    missing = [n for n in names if n not in data]
    if missing:
        raise ConversionError(f"predict_batch returned no column(s) {missing}; OUTPUT columns"
                              f" are {names}, got {list(data)}")
    arrays = []
    for column, field in zip(columns, schema):
        values = data[column.name]
        length = len(values)
        if length != rows:
            raise ConversionError(
                f"predict_batch returned {length} values for column '{column.name}' but the"
                f" batch has {rows} rows (columnar formats return one output row per input row)")
        arrays.append(_to_arrow(values, column, field.type, describe))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _to_arrow(values: Any, column: Column, arrow_type: pa.DataType, describe) -> pa.Array:
    try:
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if isinstance(values, pa.Array):
            array = values if values.type == arrow_type else values.cast(arrow_type)
        elif isinstance(values, np.ndarray) and values.ndim == 2 and pa.types.is_list(arrow_type):
            flat = pa.array(values.reshape(-1), type=arrow_type.value_type)
            offsets = pa.array(np.arange(0, values.size + 1, values.shape[1], dtype=np.int32))
            array = pa.ListArray.from_arrays(offsets, flat, type=arrow_type)
        elif hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):  # pandas
            array = pa.array(values, type=arrow_type, from_pandas=True)
        elif isinstance(values, np.ndarray) and values.dtype != object:
            # numpy has no NULL: as in pandas, NaN stands for it (NULL inputs arrive as NaN)
            array = pa.array(values, type=arrow_type, from_pandas=True)
        else:
            fix = to_arrow_fix(column.type)
            values = list(values)
            array = pa.array(values if fix is None else [fix(v) for v in values], type=arrow_type)
    except (pa.ArrowException, TypeError, ValueError, OverflowError) as e:
        raise ConversionError(
            f"output column '{column.name}' ({column.type}) cannot hold what predict_batch"
            f" returned for it ({type(values).__name__}): {e}") from e
    if not column.type.nullable and array.null_count:
        raise ConversionError(f"output column '{column.name}' is {column.type} but"
                              f" predict_batch returned NULL in it")
    return array


def predict_one(function, row) -> List[Any]:
    """``predict`` for a class that only implements a columnar ``predict_batch``: the row goes
    through a one-row batch in the class's format (used by the UDTF path)."""
    inputs, outputs = function.input_schema, function.output_schema
    batch = RowEncoder(inputs, arrow_schema(inputs), side="input").encode(
        [row_values(row, [c.name for c in inputs])], lambda i: f"input row {row!r}")
    result = function.predict_batch(to_batch_format(batch, function.batch_format))
    out = columnar_result(result, outputs, arrow_schema(outputs), 1, lambda: "")
    answer = Row(*[out.column(i)[0].as_py() for i in range(out.num_columns)])
    answer.set_field_names([c.name for c in outputs])
    return [answer]
