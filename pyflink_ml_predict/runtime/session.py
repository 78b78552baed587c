"""One opened PredictFunction answering INIT and BATCH messages (both transports use it)."""
import sys
import traceback
from typing import Any, Callable, List, Optional, Tuple, Union

import pyarrow as pa
from pyflink.common import Row

from ..api import ModelConfig, PredictFunction
from ..api.metrics import MetricRegistry
from ..conversion import ConversionError, RowDecoder, RowEncoder, row_values
from ..conversion.errors import short_repr
from ..conversion.batch_formats import columnar_result, to_batch_format
from . import protocol
from .error_policy import ErrorPolicy, ModelError, reason, with_traceback
from .flat import FlatReader, FlatWriter
from . import versions
from .opening import open_predict_function
from .versions import ModelVersions, VersionError

__all__ = ["ModelSession", "ModelError"]

# A batch's input rows: decoded from a flat batch, or an Arrow batch not yet decoded.
Inputs = Union[List[Row], pa.RecordBatch]
# A batch's output: value lists in OUTPUT column order (row-wise classes) or an Arrow batch.
Output = Union[List[List[Any]], pa.RecordBatch]


def _quoted(value: Any) -> str:
    return short_repr(value, 300)


def _origin(counts: List[int], output: int) -> int:
    """The input row that made output row ``output``, by the output counts of each input."""
    for index, count in enumerate(counts):
        if output < count:
            return index
        output -= max(count, 0)
    raise IndexError(output)


def _as_list(produced: Any) -> List[Any]:
    """predict's result as a list of output rows, or a clear error."""
    if produced is None:
        return []
    if isinstance(produced, (dict, str, bytes, Row)):
        raise ConversionError(
            f"predict must return a list of output rows, got one {type(produced).__name__};"
            " wrap it in a list: [row]")
    return list(produced)


class ModelSession:
    """Loads, opens and runs one instance of the user's class."""

    def __init__(self) -> None:
        self.config: Optional[ModelConfig] = None
        self.function: Optional[PredictFunction] = None
        self.decoder: Optional[RowDecoder] = None
        self.encoder: Optional[RowEncoder] = None
        self.batch_override = False
        self.policy = ErrorPolicy()
        self.skipped = 0
        self.metrics = MetricRegistry()
        self.versions: Optional[ModelVersions] = None  # a versioned model directory
        self.version: Optional[str] = None
        self.version_chunk = protocol.text_chunk("")
        self.flat_input: Optional[FlatReader] = None
        self.flat_output: Optional[FlatWriter] = None

    def handle(self, message: bytes) -> bytes:
        """Answers one request message; never raises."""
        try:
            kind = message[0]
            if kind == protocol.INIT:
                return self._init(protocol.parse_init(message))
            if kind == protocol.BATCH:
                return self._batch(message)
            return protocol.error(f"Unknown message type {kind}")
        except ModelError as e:
            return protocol.error(str(e))
        except Exception as e:  # a bug in the runtime itself: still report it in full
            return protocol.error(with_traceback(f"pyflink-ml-predict runtime error: {e}", e))

    # -- INIT -------------------------------------------------------------------------------

    def _init(self, init: protocol.Init) -> bytes:
        self.config = config = ModelConfig.from_json(init.config_json)
        self.init = init
        versioning = versions.parse(config.runtime)
        if versioning:
            self.versions = ModelVersions(config.model_directory, *versioning, config.describe())
            try:
                self.version = self.versions.first()
            except VersionError as e:
                raise ModelError(str(e)) from e
            self._count_versions()
        function = self._open(self.version)
        self.version_chunk = protocol.text_chunk(self.version or "")
        self.function = function
        self.policy = ErrorPolicy(config.runtime.get("error_handling"))
        self.batch_override = type(function).predict_batch is not PredictFunction.predict_batch
        self.input_arrow_schema = init.input_schema
        self.decoder = RowDecoder(config.input_schema)
        self.encoder = RowEncoder(config.output_schema, init.output_schema)
        self.output_names = [c.name for c in config.output_schema]
        # Row-wise classes take flat batches where the schema allows: a vectorized class wants
        # Arrow's columns anyway.
        rows = function.batch_format == "rows"
        self.flat_input = FlatReader(init.input_kinds) if rows and init.input_kinds else None
        self.flat_output = FlatWriter(init.output_kinds, [not c.type.nullable for c in
                                                          config.output_schema]
                                      ) if init.output_kinds else None
        return protocol.ready(self.flat_input is not None, not rows, self._metric_updates())

    def _open(self, version: Optional[str], replacing: Optional[PredictFunction] = None
              ) -> PredictFunction:
        return open_predict_function(self.config, self.init.config_json, self.init.subtask,
                                     self.metrics, version, self.versions, replacing)

    def _count_versions(self) -> None:
        group = self.metrics.root().add_group("model_inference")
        self.updates = group.counter("model_updates")
        self.update_failures = group.counter("model_update_failures")
        group.gauge("model_version", lambda: int(self.version))

    def _update(self) -> None:
        """Between two batches: opens a newer version beside the serving one and switches to
        it, then closes the old one. If it fails, the old one keeps serving and the next
        interval tries again."""
        model, candidate = self.config.describe(), None
        try:
            candidate = self.versions.newer(self.version)
            if candidate is None:
                return
            function = self._open(candidate, replacing=self.function)
        except (ModelError, VersionError) as e:  # a listing that failed too (NFS, rights)
            self.update_failures.inc()
            what = f"version {candidate} failed to load" if candidate else "no versions listed"
            print(f"{model}: {what}; version {self.version} keeps serving, and the next look"
                  f" is in {self.versions.update_interval_s:g} s:\n{e}", file=sys.stderr)
            return
        old, self.function = self.function, function
        self.batch_override = type(function).predict_batch is not PredictFunction.predict_batch
        self.version, self.version_chunk = candidate, protocol.text_chunk(candidate)
        self.updates.inc()
        print(f"{model}: now serving version {candidate}", file=sys.stderr)
        self._close(old)

    def _metric_updates(self) -> bytes:
        """The metric updates as a chunk; a metric must never fail the batch it rides on."""
        try:
            return protocol.metrics_chunk(self.metrics.take_updates())
        except Exception:
            traceback.print_exc()
            return protocol.metrics_chunk(None)

    # -- BATCH ------------------------------------------------------------------------------

    def _batch(self, message: bytes) -> bytes:
        if self.function is None:
            raise ModelError("BATCH before a successful INIT")
        if self.versions is not None:
            self._update()
        if protocol.batch_encoding(message) == protocol.FLAT:
            inputs: Inputs = self.decoder.rows(self.flat_input.columns(message, 2))
        else:
            inputs = protocol.read_batch(message, self.input_arrow_schema)
        try:
            counts, output, origin = self._predict_inputs(inputs)
            return protocol.result(counts, *self._encode(output, origin),
                                   metrics=self._metric_updates(), version=self.version_chunk)
        except ModelError:
            if self.policy.strategy == "failover":
                raise
        return self._row_by_row(inputs)

    def _row_by_row(self, inputs: "Inputs") -> bytes:
        """A batch failed under 'retry' or 'ignore': each row is tried alone, up to its
        attempts, so one bad row cannot fail or change its neighbours."""
        counts: List[int] = []
        outputs: List[Output] = []
        errors: List[str] = []
        retries = 0  # under 'retry', each of these single-row attempts predicts a row again
        retrying = self.policy.strategy == "retry"
        arrow = isinstance(inputs, pa.RecordBatch)
        for i in range(len(inputs)):
            single = inputs.slice(i, 1) if arrow else inputs[i:i + 1]
            for _ in range(self.policy.attempts):
                retries += retrying
                try:
                    row_counts, row_output, origin = self._predict_inputs(single)
                    self._encode(row_output, origin)  # a value that cannot be sent fails here
                    break
                except ModelError as e:
                    error = e
            else:
                if not self.policy.ignores:
                    raise ModelError(f"{error}\n(the row failed {self.policy.attempts} times;"
                                     f" {self.policy.describe()})", error.reason)
                self._report_skipped(error)
                counts.append(-1)
                errors.append(error.reason)
                continue
            counts.extend(row_counts)
            outputs.append(row_output)
        if outputs and isinstance(outputs[0], pa.RecordBatch):
            table = pa.Table.from_batches(outputs, schema=self.encoder.schema).combine_chunks()
            combined: Output = (table.to_batches() or [pa.RecordBatch.from_pylist(
                [], schema=self.encoder.schema)])[0]
        else:
            combined = [values for rows in outputs for values in rows]
        return protocol.result(counts, *self._encode(combined, lambda i: "a row"), errors,
                               retries, self._metric_updates(), self.version_chunk)

    def _report_skipped(self, error: ModelError) -> None:
        """The first skipped rows are printed in full (the worker's stderr reaches Flink's log)."""
        self.skipped += 1
        if self.skipped <= 10:
            print(f"Skipping a row ({self.policy.describe()}): {error}", file=sys.stderr)

    def _encode(self, output: "Output", origin: Callable[[int], str]) -> Tuple[int, bytes]:
        """The output rows as (encoding, bytes): flat when every value has a flat form, else
        Arrow, whose conversions and messages then apply."""
        if isinstance(output, pa.RecordBatch):
            return protocol.ARROW, output.serialize().to_pybytes()
        if self.flat_output is not None:
            flat = self.flat_output.encode(output)
            if flat is not None:
                return protocol.FLAT, flat
        try:
            arrow = self.encoder.encode(output, origin)
        except ConversionError as e:
            raise ModelError(f"{self.config.describe()}: {e}", f"bad result: {e}") from e
        return protocol.ARROW, arrow.serialize().to_pybytes()

    def _predict_inputs(self, inputs: "Inputs") -> Tuple[List[int], "Output",
                                                         Callable[[int], str]]:
        """Counts, output rows and a describer of output row i's input, for one batch; any
        failure of the model is a ModelError."""
        if self.function.batch_format != "rows":
            return self._columnar_batch(inputs)
        rows = inputs if type(inputs) is list else self.decoder.decode(inputs)
        results = self._predict(rows)
        names = self.output_names
        counts: List[int] = []
        outputs: List[Any] = []
        append = outputs.append
        index = 0
        try:
            width = len(names)
            for index, produced in enumerate(results):
                if type(produced) is not list:  # the usual result is a list: skip the checks
                    produced = _as_list(produced)
                for item in produced:
                    # row_values' own fast path, inlined: a tuple of the right width as it is
                    append(item if type(item) is tuple and len(item) == width
                           else row_values(item, names))
                counts.append(len(produced))
        except (ConversionError, TypeError) as e:
            raise ModelError(
                f"{self.config.describe()} returned a bad result for input row"
                f" {_quoted(rows[index])}: {e}", f"bad result: {e}"
            ) from e
        return counts, outputs, lambda i: f"input row {_quoted(rows[_origin(counts, i)])}"

    def _columnar_batch(self, batch: pa.RecordBatch) -> Tuple[List[int], pa.RecordBatch,
                                                              Callable[[int], str]]:
        """A vectorized class: the batch as columns in, one output row per input row out."""
        model = self.config.describe()
        first_row = lambda: _quoted(self.decoder.decode(batch.slice(0, 1))[0])  # noqa: E731
        try:
            result = self.function.predict_batch(
                to_batch_format(batch, self.function.batch_format))
        except Exception as e:
            raise ModelError(with_traceback(
                f"{model}: predict_batch failed on a batch of {batch.num_rows} rows (first row"
                f" {first_row()}): {e!r}", e), reason(e))
        try:
            output = columnar_result(result, self.config.output_schema, self.encoder.schema,
                                     batch.num_rows, first_row)
        except ConversionError as e:
            raise ModelError(f"{model}: {e} (batch of {batch.num_rows} rows, first row"
                             f" {first_row()})", f"bad result: {e}") from e
        return [1] * batch.num_rows, output, lambda i: "a row"

    def _predict(self, rows: List[Any]) -> List[Any]:
        model = self.config.describe()
        if not self.batch_override:
            results = []
            for row in rows:
                try:
                    results.append(self.function.predict(row))
                except Exception as e:
                    raise ModelError(
                        with_traceback(f"{model} failed on input row {_quoted(row)}: {e!r}", e),
                        reason(e))
            return results
        try:
            results = self.function.predict_batch(rows)
        except Exception as e:
            raise ModelError(
                with_traceback(
                    f"{model}: predict_batch failed on a batch of {len(rows)} rows (first row"
                    f" {_quoted(rows[0]) if rows else None}): {e!r}",
                    e,
                ), reason(e)
            )
        results = list(results) if results is not None else []
        if len(results) != len(rows):
            raise ModelError(
                f"{model}: predict_batch must return one list of output rows per input row;"
                f" got {len(results)} results for {len(rows)} rows"
            )
        return results

    def close(self) -> None:
        """Closes the user's function; errors are printed, never raised (we are shutting down)."""
        function, self.function = self.function, None
        if function is not None:
            self._close(function)

    @staticmethod
    def _close(function: PredictFunction) -> None:
        try:
            function.close()
        except Exception:
            traceback.print_exc()
