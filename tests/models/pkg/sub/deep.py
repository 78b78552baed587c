from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class Deep(PredictFunction):
    def predict(self, data):
        return [Row("deep:" + data.text, 0.0)]
