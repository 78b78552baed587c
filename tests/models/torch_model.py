"""A model that imports torch and transformers and runs a real torch computation."""
import threading

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class TorchNorm(PredictFunction):
    """OUTPUT (norm DOUBLE, thread STRING, transformers_version STRING)."""

    def open(self, context):
        import torch
        import transformers

        torch.set_num_threads(1)
        self.torch = torch
        self.layer = torch.nn.Linear(3, 3)
        with torch.no_grad():
            self.layer.weight.copy_(torch.eye(3))
            self.layer.bias.zero_()
        self.transformers_version = transformers.__version__

    def predict_batch(self, rows):
        with self.torch.no_grad():
            batch = self.torch.tensor([list(r.v) for r in rows], dtype=self.torch.float64)
            norms = self.layer(batch.float()).norm(dim=1).tolist()
        thread = threading.current_thread().name
        return [[Row(float(n), thread, self.transformers_version)] for n in norms]
