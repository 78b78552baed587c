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

    With ``'worker-scope' = 'taskmanager'`` one instance serves every subtask of the model in
    its TaskManager: ``worker_scope`` is then ``"taskmanager"``, and
    ``get_index_of_this_subtask()`` and ``get_number_of_parallel_subtasks()`` give this shared
    worker's index and the number of shared workers (``workers-per-taskmanager``).
    """

    def __init__(self, model_config: ModelConfig, subtask_index: int = 0, parallelism: int = 1,
                 metrics: Optional[MetricRegistry] = None, worker_scope: str = "subtask"):
        self.metrics = metrics if metrics is not None else MetricRegistry()
        self.worker_scope = worker_scope
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
