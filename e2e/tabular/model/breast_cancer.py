"""A scikit-learn pipeline saved with joblib, served through ML_PREDICT on pandas batches.

The model directory holds ``pipeline.joblib`` (``e2e/tabular/train.py`` writes it, with a copy
of this file) and is ``model-directory-path``:

    CREATE MODEL breast_cancer
    INPUT (mean_radius DOUBLE, mean_texture DOUBLE, ..., worst_fractal_dimension DOUBLE)
    OUTPUT (label INT, probability DOUBLE)
    WITH ('provider' = 'generic-python',
          'model-directory-path' = '/path/to/model',
          'python-predict-class' = 'breast_cancer.BreastCancerClassifier')

``label`` is the predicted class (0 malignant, 1 benign, as in scikit-learn's data set),
``probability`` the model's probability of that class. The pipeline knows its feature names,
so the INPUT columns are matched by name, in any order. ``properties.model-file`` names
another file in the model directory (default ``pipeline.joblib``).
"""
import os

import numpy as np

from pyflink_ml_predict import PredictFunction


class BreastCancerClassifier(PredictFunction):
    """INPUT: the 30 feature columns as DOUBLE. OUTPUT (label INT, probability DOUBLE)."""

    # One predict_proba call per batch, on a DataFrame: the per-row work happens in numpy.
    batch_format = "pandas"

    def open(self, context):
        import joblib

        path = os.path.join(self.model_directory,
                            self.properties.get("model-file", "pipeline.joblib"))
        self.pipeline = joblib.load(path)
        missing = set(self.pipeline.feature_names_in_) - {c.name for c in self.input_schema}
        if missing:
            raise ValueError(f"the model's INPUT lacks the features {sorted(missing)}")

    def predict_batch(self, batch):
        probabilities = self.pipeline.predict_proba(batch[self.pipeline.feature_names_in_])
        best = probabilities.argmax(axis=1)
        return {"label": self.pipeline.classes_[best],
                "probability": probabilities[np.arange(len(best)), best]}
