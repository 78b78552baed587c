"""The Python models the Java tier's runtime tests serve (java/src/test/java/.../runtime)."""
import os
import sys
import time

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class Echo(PredictFunction):
    """Each row back as it came (OUTPUT has the INPUT's columns): a round trip of every type."""

    def predict(self, data):
        return [list(data)]


class Batches(PredictFunction):
    """INPUT (x INT), OUTPUT (x INT, batch INT): each row's x and the size of the batch it came
    in. Properties: 'sleep-ms' per batch; a negative x raises (the message names it); x equal to
    'exit-on' ends the worker with code 7."""

    def open(self, context):
        self.sleep = float(self.properties.get("sleep-ms", "0")) / 1000
        self.exit_on = int(self.properties.get("exit-on", "-1000000"))

    def predict_batch(self, rows):
        time.sleep(self.sleep)
        for row in rows:
            if row.x == self.exit_on:
                print("Batches: exiting with code 7", file=sys.stderr, flush=True)
                os._exit(7)
            if row.x is not None and row.x < 0:
                raise ValueError(f"negative x {row.x}")
        return [[Row(row.x, len(rows))] for row in rows]


class Pid(PredictFunction):
    """INPUT (x INT), OUTPUT (x INT, pid INT): which worker process answered."""

    def predict(self, data):
        return [Row(data.x, os.getpid())]


class FailsToOpen(PredictFunction):
    def open(self, context):
        raise FileNotFoundError("weights.bin is missing")

    def predict(self, data):
        return []
