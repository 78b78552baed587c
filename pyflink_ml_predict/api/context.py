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
        # PyFlink before 2.3 takes only these two; the task fields below are set here so that
        # the getters that 2.3 added answer the same on every PyFlink.
        super().__init__(self.metrics.root(), {})
        self._number_of_parallel_subtasks = parallelism
        self._index_of_this_subtask = subtask_index
        self.model_config = model_config

    def get_metric_group(self) -> ModelMetricGroup:
        """The ML_PREDICT operator's metric group, as PyFlink's UDFs get theirs."""
        return self._base_metric_group

    def get_number_of_parallel_subtasks(self) -> int:
        """The model's parallelism (or the number of shared workers, see above)."""
        return self._number_of_parallel_subtasks

    def get_index_of_this_subtask(self) -> int:
        """This instance's subtask index, from 0 (or its shared worker's index)."""
        return self._index_of_this_subtask

    @property
    def model_name(self) -> str:
        return self.model_config.model_name
