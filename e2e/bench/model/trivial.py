"""The benchmark's trivial model: the length and the upper case of a string."""
from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class Trivial(PredictFunction):
    def predict(self, data):
        return [Row(len(data.text), data.text.upper())]


class WaitedFor(PredictFunction):
    """INPUT (text STRING, t0 TIMESTAMP_LTZ(3)) OUTPUT (waited_ms DOUBLE): how long the row
    waited between its creation (t0) and its prediction."""

    def predict(self, data):
        import datetime

        now = datetime.datetime.now(datetime.timezone.utc)
        return [Row((now - data.t0).total_seconds() * 1000.0)]
