"""SQL values as Python values and back: Arrow batches to the rows ``predict`` receives, the
shapes an output row may take, results to Arrow, and the columnar batch formats
(pandas, numpy, pyarrow). Builds on ``sql_types`` only; the runtime and the adapters use it.
"""
from .arrow_values import RowEncoder, to_arrow_fix
from .errors import ConversionError
from .input_rows import RowDecoder, to_python_fix
from .output_rows import row_values

__all__ = ["ConversionError", "RowDecoder", "RowEncoder", "row_values", "to_arrow_fix",
           "to_python_fix"]
