"""The ``context`` a PredictFunction's ``open`` receives."""
from pyflink.table.udf import FunctionContext

from .model_config import ModelConfig

__all__ = ["PredictContext"]


class PredictContext(FunctionContext):
    """The ``context`` passed to :meth:`PredictFunction.open`.

    Besides PyFlink's ``FunctionContext`` methods it tells which model and which parallel
    subtask this instance serves.
    """

    def __init__(self, model_config: ModelConfig, subtask_index: int = 0, parallelism: int = 1):
        super().__init__(
            None,
            {},
            number_of_parallel_subtasks=parallelism,
            index_of_this_subtask=subtask_index,
        )
        self.model_config = model_config

    @property
    def model_name(self) -> str:
        return self.model_config.model_name
