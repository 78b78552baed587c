"""Finds the user's PredictFunction subclass in the model directory."""
import importlib
import os
import sys
from typing import Callable, Tuple, Type

from ..api import PredictFunction

__all__ = ["ModelLoadError", "load_predict_class", "load_version_class"]

# The versioned model directories whose versions this interpreter has imported.
_VERSION_ROOTS: set = set()


class ModelLoadError(RuntimeError):
    """The model directory or the predict class cannot be used; says which and why."""


def load_predict_class(model_directory: str, class_name: str, model: str) -> Type[PredictFunction]:
    """Imports ``module.Class`` with the model directory first on ``sys.path``."""
    if not os.path.isdir(model_directory):
        raise ModelLoadError(
            f"{model}: model directory '{model_directory}' does not exist or is not a directory"
        )
    if model_directory not in sys.path:
        sys.path.insert(0, model_directory)
    module_name, _, simple_name = class_name.rpartition(".")
    if not module_name:
        raise ModelLoadError(f"{model}: python-predict-class '{class_name}' must be 'module.Class'")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name and module_name.startswith(e.name):
            raise ModelLoadError(
                f"{model}: cannot import module '{module_name}' of python-predict-class"
                f" '{class_name}': no module '{e.name}' in the model directory"
                f" '{model_directory}' (it holds: {_listing(model_directory)}) or on sys.path"
            ) from e
        raise
    cls = getattr(module, simple_name, None)
    if cls is None:
        raise ModelLoadError(
            f"{model}: module '{module_name}' ({getattr(module, '__file__', '?')}) has no class"
            f" '{simple_name}' (python-predict-class '{class_name}')"
        )
    if not (isinstance(cls, type) and issubclass(cls, PredictFunction)):
        raise ModelLoadError(
            f"{model}: python-predict-class '{class_name}' is {cls!r}, not a subclass of"
            " pyflink_ml_predict.PredictFunction"
        )
    return cls


def _listing(directory: str, limit: int = 20) -> str:
    names = sorted(n for n in os.listdir(directory) if not n.startswith((".", "__pycache__")))
    shown = ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")
    return shown or "nothing"


def load_version_class(version_directory: str, class_name: str, model: str,
                       versions_root: str) -> Tuple[Type[PredictFunction], Callable[[], None]]:
    """Imports the class of one version afresh, and returns it with an undo. The modules any
    version of a versioned model loaded in this interpreter (same names, other files: thread
    mode shares one), and any other module of the class's package name, are forgotten first;
    the undo (called when the import, the class's open() or the switch fails) puts them and
    ``sys.path`` back, so that the version still serving keeps its imports."""
    root = os.path.join(os.path.abspath(versions_root), "")
    _VERSION_ROOTS.add(root)
    package = class_name.split(".")[0]

    def stale(name, module):
        path = getattr(module, "__file__", None)
        if path and any(os.path.abspath(path).startswith(r) for r in _VERSION_ROOTS):
            return True
        return name == package or name.startswith(package + ".")

    forgotten = {name: module for name, module in list(sys.modules.items())
                 if stale(name, module)}
    paths = [p for p in sys.path if os.path.join(os.path.abspath(p), "").startswith(root)]
    for name in forgotten:
        del sys.modules[name]
    for path in paths:
        sys.path.remove(path)
    importlib.invalidate_caches()

    def undo():
        for name in [n for n, m in list(sys.modules.items()) if stale(n, m)]:
            del sys.modules[name]
        sys.modules.update(forgotten)
        if version_directory in sys.path:
            sys.path.remove(version_directory)
        sys.path[:0] = paths

    try:
        return load_predict_class(version_directory, class_name, model), undo
    except BaseException:
        undo()
        raise
