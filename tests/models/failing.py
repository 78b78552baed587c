"""Models that fail in the ways a user's model can."""
import os
import signal

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
    def predict(self, data):
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
