"""Models that show which worker answered, for the shared-worker tests."""
import os
import time

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class WhichWorker(PredictFunction):
    """id BIGINT -> (answered BIGINT, pid BIGINT, batch INT): the id, the worker that answered
    and the size of the batch it saw. Records each open (with what the context says) and close in
    properties['pid-dir']; sleeps properties['sleep-ms'] per batch."""

    def open(self, context):
        self.folder = self.properties["pid-dir"]
        self.sleep_s = float(self.properties.get("sleep-ms", "0")) / 1000
        pid = os.getpid()
        with open(os.path.join(self.folder, f"{pid}.pid"), "w") as f:
            f.write(str(pid))
        with open(os.path.join(self.folder, f"{pid}.open"), "w") as f:
            f.write(f"{context.worker_scope} {context.get_index_of_this_subtask()}"
                    f"/{context.get_number_of_parallel_subtasks()}")

    def predict_batch(self, rows):
        time.sleep(self.sleep_s)
        pid, size = os.getpid(), len(rows)
        return [[Row(row.id, pid, size)] for row in rows]

    def close(self):
        open(os.path.join(self.folder, f"{os.getpid()}.closed"), "w").close()
