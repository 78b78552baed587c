"""Any fitted scikit-learn estimator saved with joblib, for the ML_EVALUATE tests.

``properties.model-file`` is the joblib file's absolute path; the estimator's ``predict`` runs
on each pandas batch of the INPUT columns (in INPUT order) and fills the first OUTPUT column.
"""
from pyflink_ml_predict import PredictFunction


class SklearnEstimator(PredictFunction):
    batch_format = "pandas"

    def open(self, context):
        import joblib

        self.estimator = joblib.load(self.properties["model-file"])
        self.features = [c.name for c in self.input_schema]
        self.output = self.output_schema[0].name

    def predict_batch(self, batch):
        return {self.output: self.estimator.predict(batch[self.features].to_numpy())}
