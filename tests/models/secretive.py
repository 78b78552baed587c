"""A model configured with secrets, for the redaction tests."""
from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class UsesSecrets(PredictFunction):
    """Answers with the length of each secret it got; fails on the text 'fail'."""

    def predict(self, data):
        if data.text == "fail":
            raise RuntimeError(f"backend refused {self.model_config!r}")
        p = self.properties
        return [Row(len(p["api-key"]) + len(p["hf-token"]) + len(p["db.password"]))]
