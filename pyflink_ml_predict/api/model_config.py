"""The model configuration that the Java provider hands to ``PredictFunction.set_model_config``.

The JSON carries the class, the model directory, the ``properties.*`` options (prefix removed),
the INPUT/OUTPUT columns with structured Flink types, and the runtime settings.
"""
import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from ..sql_types import Column, ColumnsSpec, parse_columns

__all__ = ["ModelConfig", "is_secret"]

# A property whose key contains one of these is shown as '******' in a ModelConfig's repr; the
# Java side prints keys only, so this is the one definition (Flink itself masks keys with
# password, secret, token, api-key, apikey, service-key).
SECRET_WORDS = ("key", "token", "secret", "password", "credential")


def is_secret(key: str) -> bool:
    """Whether a property's value must never be printed, judged by its key."""
    lowered = key.lower()
    return any(word in lowered for word in SECRET_WORDS)


@dataclass(frozen=True, repr=False)
class ModelConfig:
    """The parsed model configuration."""

    model_name: str
    python_class: str
    model_directory: str
    properties: Dict[str, str]
    input_schema: List[Column]
    output_schema: List[Column]
    runtime: Dict[str, Any]
    #: The version being served, for a versioned model directory (``model-version``).
    model_version: Optional[str] = None

    @staticmethod
    def from_json(text: str) -> "ModelConfig":
        node = json.loads(text)
        return ModelConfig(
            model_name=node.get("model_name", "<unnamed>"),
            python_class=node["python_class"],
            model_directory=node["model_directory"],
            properties=dict(node.get("properties", {})),
            input_schema=[Column.from_json(c) for c in node["input_schema"]],
            output_schema=[Column.from_json(c) for c in node["output_schema"]],
            runtime=dict(node.get("runtime", {})),
            model_version=node.get("model_version"),
        )

    @staticmethod
    def create(model_directory: str, predict_class: str, input_schema: ColumnsSpec,
               output_schema: ColumnsSpec, properties: Optional[Dict[str, str]] = None,
               model_name: str = "local", runtime: Optional[Dict[str, Any]] = None
               ) -> "ModelConfig":
        """A config built in Python, as the provider would build it (for use without Flink)."""
        import os

        return ModelConfig(
            model_name=model_name,
            python_class=predict_class,
            model_directory=os.path.abspath(model_directory),
            properties={str(k): str(v) for k, v in (properties or {}).items()},
            input_schema=parse_columns(input_schema),
            output_schema=parse_columns(output_schema),
            runtime=dict(runtime or {}),
        )

    def to_json(self) -> str:
        return json.dumps({
            "model_name": self.model_name,
            "python_class": self.python_class,
            "model_directory": self.model_directory,
            "properties": self.properties,
            "input_schema": [{"name": c.name, "type": c.type.to_json()} for c in self.input_schema],
            "output_schema": [{"name": c.name, "type": c.type.to_json()}
                              for c in self.output_schema],
            "runtime": self.runtime,
            **({"model_version": self.model_version} if self.model_version else {}),
        })

    def __repr__(self) -> str:
        shown = {k: "******" if is_secret(k) else v for k, v in self.properties.items()}
        return (f"ModelConfig(model_name={self.model_name!r}, python_class={self.python_class!r},"
                f" model_directory={self.model_directory!r}, properties={shown!r},"
                f" input_schema={self.input_schema!r}, output_schema={self.output_schema!r},"
                f" runtime={self.runtime!r})")

    def describe(self) -> str:
        """Names the model for messages; never shows property values (they may be secrets)."""
        return f"model '{self.model_name}' (class {self.python_class})"
