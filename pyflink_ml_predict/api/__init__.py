"""What a model author subclasses and reads: ``PredictFunction``, the ``PredictContext`` its
``open`` receives, the ``ModelConfig`` it is configured with, and its plain-UDTF form (a
PredictFunction is a PyFlink TableFunction). Builds on ``sql_types`` and ``conversion``; imports
nothing from ``runtime`` or ``adapters``."""
from .context import PredictContext
from .model_config import ModelConfig
from .predict_function import PredictFunction
from .udtf import as_udtf

__all__ = ["ModelConfig", "PredictContext", "PredictFunction", "as_udtf"]
