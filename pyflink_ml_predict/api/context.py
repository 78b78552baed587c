"""The ``context`` a PredictFunction's ``open`` receives."""
from typing import Optional

from pyflink.table.udf import FunctionContext

from .metrics import MetricRegistry, ModelMetricGroup
from .model_config import ModelConfig

__all__ = ["PredictContext"]


class PredictContext(FunctionContext):
    """The ``context`` passed to :meth:`PredictFunction.open`.

    Besides PyFlink's ``FunctionContext`` methods (``get_metric_group()`` among them: see
    ``metrics.py``) it tells which model and which parallel subtask this instance serves.
    """

    def __init__(self, model_config: ModelConfig, subtask_index: int = 0, parallelism: int = 1,
                 metrics: Optional[MetricRegistry] = None):
        self.metrics = metrics if metrics is not None else MetricRegistry()
        super().__init__(
            self.metrics.root(),
            {},
            number_of_parallel_subtasks=parallelism,
            index_of_this_subtask=subtask_index,
        )
        self.model_config = model_config

    def get_metric_group(self) -> ModelMetricGroup:
        """The ML_PREDICT operator's metric group, as PyFlink's UDFs get theirs."""
        return self._base_metric_group

    @property
    def model_name(self) -> str:
        return self.model_config.model_name
