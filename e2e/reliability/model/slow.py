"""A model slower than its source: each batch takes `properties.batch-ms` milliseconds. It
writes its progress (pid, parent pid, rows, batches) to `properties.status-file` so a watcher can
see the rows done and measure both processes' memory."""
import json
import os
import time

from pyflink_ml_predict import PredictFunction


class SlowUpper(PredictFunction):
    """INPUT (text STRING) OUTPUT (label STRING); vectorized, sleeps per batch."""

    batch_format = "pyarrow"

    def open(self, context):
        self.delay = float(self.properties.get("batch-ms", "5")) / 1000
        self.status_file = self.properties["status-file"]
        self.rows = self.batches = 0
        self.last_write = 0.0

    def predict_batch(self, batch):
        time.sleep(self.delay)
        self.rows += batch.num_rows
        self.batches += 1
        now = time.time()
        if now - self.last_write > 0.5:
            self.last_write = now
            status = {"pid": os.getpid(), "jvm_pid": os.getppid(), "rows": self.rows,
                      "batches": self.batches}
            with open(self.status_file + ".tmp", "w") as f:
                json.dump(status, f)
            os.replace(self.status_file + ".tmp", self.status_file)
        texts = batch.column("text").to_pylist()
        return {"label": [t.upper() for t in texts]}
