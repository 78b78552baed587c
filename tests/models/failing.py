"""Models that fail in the ways a user's model can."""
import os
import signal
import sys
import time

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class RaisesOnBad(PredictFunction):
    def predict(self, data):
        if data.text == "bad":
            raise ValueError("cannot score the word bad")
        return [Row(data.text, 1.0)]


class FailsToOpen(PredictFunction):
    def open(self, context):
        raise FileNotFoundError("weights.bin is missing")

    def predict(self, data):
        return []


class WrongOutputType(PredictFunction):
    """Returns a string for the FLOAT column 'score'."""

    def predict(self, data):
        return [Row(data.text, "not a number")]


class ExitsWorker(PredictFunction):
    """Exits the worker with code 7; with 'properties.wait-for' = 'DIR:N', only once N workers
    recorded their pid in DIR (so a test knows they all started)."""

    def predict(self, data):
        folder, _, count = self.properties.get("wait-for", "").partition(":")
        deadline = time.time() + 30
        while folder and len(os.listdir(folder)) < int(count) and time.time() < deadline:
            time.sleep(0.05)
        print("ExitsWorker: exiting with code 7", file=sys.stderr)  # for the error's tail
        os._exit(7)


class KillsWorker(PredictFunction):
    def predict(self, data):
        os.kill(os.getpid(), signal.SIGKILL)


class NotAList(PredictFunction):
    def predict(self, data):
        return Row(data.text, 1.0)


class NotAPredictFunction:
    pass


class DiesOnce(PredictFunction):
    """Kills its own worker on the first attempt (marked by a file), then works."""

    def predict(self, data):
        marker = os.path.join(self.properties["marker-dir"], "died")
        if not os.path.exists(marker):
            open(marker, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)
        return [Row(data.text, 1.0)]


def record_pid(function):
    """Writes the worker's pid into properties['pid-dir'] (tests check it is gone later)."""
    with open(os.path.join(function.properties["pid-dir"], f"{os.getpid()}.pid"), "w") as f:
        f.write(str(os.getpid()))


class FailsFirstTry(PredictFunction):
    """Each text fails the first time this worker sees it: a transient error that a retry cures."""

    def open(self, context):
        self.seen = set()

    def predict(self, data):
        if data.text not in self.seen:
            self.seen.add(data.text)
            raise ConnectionError(f"flaky backend on {data.text!r}")
        return [Row(data.text, 1.0)]


class RaisesOnBadBatch(PredictFunction):
    """Vectorized: the whole batch fails when any of its texts is 'bad'."""

    batch_format = "pandas"

    def predict_batch(self, batch):
        if (batch["text"] == "bad").any():
            raise ValueError("cannot score the word bad")
        return {"label": batch["text"].str.upper(), "score": [float(len(t)) for t in batch["text"]]}


class Hangs(PredictFunction):
    """predict never returns."""

    def open(self, context):
        record_pid(self)

    def predict(self, data):
        import time

        while True:
            time.sleep(1)


class SlowOpen(PredictFunction):
    """open() takes a minute (a large model loading)."""

    def open(self, context):
        import time

        record_pid(self)
        time.sleep(60)

    def predict(self, data):
        return [Row(data.text, 1.0)]


class OpensThenFails(PredictFunction):
    def open(self, context):
        record_pid(self)
        raise RuntimeError("the model server refused the connection")

    def predict(self, data):
        return []


class Doubles(PredictFunction):
    """INPUT (id BIGINT) OUTPUT (doubled BIGINT); records its pid so a test can kill it."""

    def open(self, context):
        record_pid(self)

    def predict(self, data):
        return [Row(data.id * 2)]


class FailsToClose(PredictFunction):
    """INPUT (text STRING) OUTPUT (label STRING, score FLOAT); close() raises."""

    def predict(self, data):
        return [Row(data.text, 0.0)]

    def close(self):
        raise RuntimeError("close went wrong")
