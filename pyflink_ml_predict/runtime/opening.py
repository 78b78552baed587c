"""Loading, making and opening the user's class: for a model directory, or for one version of
a versioned one (then its ``model_directory`` and ``model_version`` name that version)."""
import json
from typing import Optional

from ..api import ModelConfig, PredictContext, PredictFunction
from ..api.metrics import MetricRegistry
from ..conversion.batch_formats import BATCH_FORMATS
from .error_policy import ModelError, with_traceback
from .loader import ModelLoadError, load_predict_class, load_version_class
from .versions import ModelVersions

__all__ = ["open_predict_function"]


def open_predict_function(config: ModelConfig, config_json: str, subtask: str,
                          metrics: MetricRegistry, version: Optional[str] = None,
                          versions: Optional[ModelVersions] = None,
                          replacing: Optional[PredictFunction] = None) -> PredictFunction:
    """The opened class (of ``version`` of ``versions``, if given, to replace the serving
    function ``replacing``). Any failure is a ModelError worded for the user, with the Python
    traceback, and leaves the imports of the version serving as they were."""
    model, directory, undo = config.describe(), config.model_directory, None
    try:
        if version is None:
            cls = load_predict_class(directory, config.python_class, model)
        else:
            model += f" version {version}"
            directory = versions.directory(version)
            config_json = json.dumps(dict(json.loads(config_json), model_directory=directory,
                                          model_version=version))
            cls, undo = load_version_class(directory, config.python_class, model,
                                           versions.root)
    except ModelLoadError as e:
        raise ModelError(str(e)) from e
    except Exception as e:
        raise ModelError(with_traceback(f"{model}: importing the class failed: {e!r}", e))
    try:
        return _made_and_opened(cls, config_json, subtask, metrics, model, replacing)
    except BaseException:
        if undo is not None:
            undo()
        raise


def _made_and_opened(cls, config_json: str, subtask: str, metrics: MetricRegistry,
                     model: str, replacing: Optional[PredictFunction]) -> PredictFunction:
    # "index/parallelism", or "index/workers/taskmanager" for a shared worker
    index, parallelism, *scope = subtask.split("/")
    try:
        function = cls()
        function.set_model_config(config_json)
        function.open(PredictContext(function.model_config, int(index or 0),
                                     int(parallelism or 1), metrics,
                                     scope[0] if scope else "subtask"))
    except Exception as e:
        raise ModelError(with_traceback(f"{model}: open() failed: {e!r}", e))
    if function.batch_format not in BATCH_FORMATS:
        raise ModelError(f"{model}: batch_format must be one of {BATCH_FORMATS}, got"
                         f" {function.batch_format!r}")
    if replacing is not None and (function.batch_format == "rows") != (
            replacing.batch_format == "rows"):
        _close_quietly(function)
        raise ModelError(f"{model}: batch_format {function.batch_format!r} cannot replace"
                         f" {replacing.batch_format!r} while the job runs (the rows' layout is"
                         " agreed when it starts); restart the job")
    return function


def _close_quietly(function: PredictFunction) -> None:
    try:
        function.close()
    except Exception:
        pass
