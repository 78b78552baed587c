"""The model config users read (``ModelConfig``): created from columns and properties, shown
with secrets masked, and the JSON the provider sends."""
import json

from paths import MODELS
from pyflink_ml_predict import ModelConfig


def test_model_config_repr_masks_keys_that_suggest_secrets():
    config = ModelConfig.create(MODELS, "basic.Upper", "text STRING", "text STRING",
                                {"private-key": "k1", "Credentials": "k2", "threshold": "0.5"})
    shown = repr(config)
    assert "k1" not in shown and "k2" not in shown and "'threshold': '0.5'" in shown


def test_the_config_survives_its_json_and_keeps_property_keys_as_given():
    config = ModelConfig.create(MODELS, "basic.Upper", "text STRING", "label STRING, score FLOAT",
                                {"a.b": "1", "API-Key": "s"}, model_name="cat.db.m")
    again = ModelConfig.from_json(config.to_json())
    assert again == config
    assert again.properties == {"a.b": "1", "API-Key": "s"}
    assert json.loads(config.to_json())["input_schema"] == [
        {"name": "text", "type": {"root": "VARCHAR", "nullable": True,
                                  "sql": "VARCHAR(2147483647)", "length": 2147483647}}]
