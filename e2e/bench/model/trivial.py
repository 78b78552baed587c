"""The benchmark's trivial model: the length and the upper case of a string."""
from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class Trivial(PredictFunction):
    def predict(self, data):
        return [Row(len(data.text), data.text.upper())]
