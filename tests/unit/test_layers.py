"""The package's layers: each imports only the layers below it (README "Design"), so what a
model author uses never depends on the machinery that runs it."""
import ast
import os

import pytest

import pyflink_ml_predict

PACKAGE = os.path.dirname(pyflink_ml_predict.__file__)
# Lowest first. The package's own __init__/__main__ sit on top; jar.py stands alone.
LAYERS = ["sql_types", "conversion", "api", "runtime", "adapters"]


def _modules():
    for folder in LAYERS:
        for name in sorted(os.listdir(os.path.join(PACKAGE, folder))):
            if name.endswith(".py"):
                yield folder, os.path.join(PACKAGE, folder, name)


def _imported_layers(path, folder):
    """The layers (subpackages of ours) a module imports, at any depth in the module."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] == "pyflink_ml_predict":
                    yield parts[1] if len(parts) > 1 else "pyflink_ml_predict"
            elif node.level == 1:
                yield folder
            else:
                yield (node.module or "pyflink_ml_predict").split(".")[0]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "pyflink_ml_predict":
                    yield parts[1] if len(parts) > 1 else "pyflink_ml_predict"


@pytest.mark.parametrize("folder,path", list(_modules()),
                         ids=[os.path.relpath(p, PACKAGE) for _, p in _modules()])
def test_a_module_imports_only_its_own_layer_and_those_below(folder, path):
    own = LAYERS.index(folder)
    for layer in _imported_layers(path, folder):
        assert layer in LAYERS or layer == "jar", f"{path} imports {layer!r}"
        if layer in LAYERS:
            assert LAYERS.index(layer) <= own, (
                f"{os.path.relpath(path, PACKAGE)} ({folder}) imports the higher layer {layer!r}")
