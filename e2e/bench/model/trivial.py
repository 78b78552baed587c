"""The benchmark's trivial model: the length and the upper case of a string."""
import pyarrow as pa
import pyarrow.compute as pc
from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class Trivial(PredictFunction):
    """Returns a tuple, as the PyFlink UDTF it is compared with yields one."""

    def predict(self, data):
        text = data.text
        return [(len(text), text.upper())]


class TrivialRow(PredictFunction):
    """The same, returning a PyFlink Row (whose constructor alone costs about 1 us)."""

    def predict(self, data):
        return [Row(len(data.text), data.text.upper())]


class TrivialArrow(PredictFunction):
    """The same work, vectorized: one pyarrow call per column for the whole batch."""

    batch_format = "pyarrow"

    def predict_batch(self, batch):
        text = batch.column(0)
        return {"n": pc.cast(pc.utf8_length(text), pa.int32()), "u": pc.utf8_upper(text)}


class WaitedFor(PredictFunction):
    """INPUT (text STRING, t0 TIMESTAMP_LTZ(3)) OUTPUT (waited_ms DOUBLE): how long the row
    waited between its creation (t0) and its prediction."""

    def predict(self, data):
        import datetime

        now = datetime.datetime.now(datetime.timezone.utc)
        return [Row((now - data.t0).total_seconds() * 1000.0)]
