"""A model that reports its own metrics through PyFlink's metric API."""
import os

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class Metered(PredictFunction):
    """Upper-cases text, counting rows, long texts (a key-value group) and text lengths; a row
    whose text is 'bad' raises. Output (label STRING)."""

    def open(self, context):
        group = context.get_metric_group()
        self.rows = group.counter("rows_seen")
        self.long_rows = group.add_group("texts").add_group("kind", "long").counter("rows")
        self.lengths = group.distribution("text_length")
        self.rate = group.meter("rows_rate", time_span_in_seconds=5)
        self.last_length = 0
        group.gauge("last_length", lambda: self.last_length)
        self.pid = os.getpid()
        group.gauge("worker_pid", lambda: self.pid)

    def predict(self, data):
        self.rows.inc()
        self.rate.mark_event()
        self.lengths.update(len(data.text))
        self.last_length = len(data.text)
        if len(data.text) > 3:
            self.long_rows.inc()
        if data.text == "bad":
            raise ValueError("bad row")
        return [Row(data.text.upper())]
