"""Secrets stay out of what the project prints; model directories can be confined to configured
roots; the plan-time directory check can be left to the TaskManagers."""
import os

import pytest

from flink_jobs import collect, create_model, new_table_env
from paths import MODELS

SECRETS = {"properties.api-key": "S3CRET-api", "properties.hf-token": "S3CRET-token",
           "properties.db.password": "S3CRET-password"}
WORDS = "SELECT * FROM (VALUES ('good'), ('fail')) AS T(text)"
QUERY = "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))"


def _model_with_secrets(t_env, **options):
    t_env.execute_sql(f"CREATE TEMPORARY VIEW words AS {WORDS}")
    create_model(t_env, "m", "text STRING", "n INT", "secretive.UsesSecrets",
                 **SECRETS, **options)


def test_the_model_gets_its_secrets_but_no_message_or_plan_shows_them(batch_env):
    _model_with_secrets(batch_env)
    assert "S3CRET" not in batch_env.explain_sql(QUERY)
    with pytest.raises(Exception) as excinfo:  # the model's error quotes its own config
        collect(batch_env, QUERY)
    message = str(excinfo.value)
    assert "backend refused ModelConfig(" in message and "'api-key': '******'" in message
    assert "S3CRET" not in message
    batch_env.execute_sql("CREATE TEMPORARY VIEW good AS SELECT * FROM words WHERE text = 'good'")
    rows = collect(batch_env, "SELECT n FROM ML_PREDICT(TABLE good, MODEL m, DESCRIPTOR(text))")
    assert rows == [(sum(len(v) for v in SECRETS.values()),)]


def test_plan_time_errors_mask_secrets(batch_env):
    _model_with_secrets(batch_env, **{"batch-size": "0"})
    with pytest.raises(Exception) as excinfo:
        batch_env.explain_sql(QUERY)
    assert "batch-size" in str(excinfo.value) and "S3CRET" not in str(excinfo.value)


# -- allowed model roots --------------------------------------------------------------------


def _env_with_roots(*roots):
    t_env = new_table_env()
    t_env.get_config().set("generic-python.allowed-model-roots", ";".join(map(str, roots)))
    t_env.execute_sql("CREATE TEMPORARY VIEW words AS SELECT * FROM (VALUES ('a')) AS T(text)")
    return t_env


def test_a_model_directory_under_an_allowed_root_runs(tmp_path):
    t_env = _env_with_roots(tmp_path, os.path.dirname(MODELS))
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "basic.Upper")
    assert collect(t_env, "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))") \
        == [("a", "A", 1.0)]


@pytest.mark.parametrize("escape", ["outside", "dot-dot", "symlink"])
def test_a_model_directory_outside_the_allowed_roots_is_refused_at_plan_time(tmp_path, escape):
    root = tmp_path / "root"
    root.mkdir()
    directory = {"outside": MODELS,
                 "dot-dot": f"{root}/../../{os.path.relpath(MODELS, tmp_path.parent)}",
                 "symlink": str(root / "link")}[escape]
    if escape == "symlink":
        os.symlink(MODELS, directory)
    t_env = _env_with_roots(root)
    create_model(t_env, "m", "text STRING", "label STRING, score FLOAT", "basic.Upper", models=directory)
    with pytest.raises(Exception, match="not under any of the directories allowed by"
                                        " 'generic-python.allowed-model-roots'"):
        t_env.explain_sql("SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))")


def test_a_uri_must_lie_under_an_allowed_root_of_its_own_file_system(tmp_path):
    """A root given as a URI admits URIs below it, '..' resolved first."""
    t_env = _env_with_roots("nofs://store/allowed")
    query = "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))"
    for name, path in (("m_inside", "nofs://store/allowed/m.zip"),
                       ("m_escape", "nofs://store/allowed/../secret/m.zip"),
                       ("m_other", "nofs://other/allowed/m.zip")):
        create_model(t_env, name, "text STRING", "label STRING, score FLOAT", "basic.Upper",
                     models=path, **{"model-directory-check": "false"})
        if name == "m_inside":
            t_env.explain_sql(query.replace("MODEL m", f"MODEL {name}"))
            continue
        with pytest.raises(Exception, match="not under any of the directories allowed by"):
            t_env.explain_sql(query.replace("MODEL m", f"MODEL {name}"))


# -- directories that exist only on the TaskManagers ----------------------------------------


def test_model_directory_check_can_be_left_to_the_worker(batch_env, tmp_path):
    missing = tmp_path / "only-on-the-taskmanagers"
    batch_env.execute_sql("CREATE TEMPORARY VIEW words AS SELECT * FROM (VALUES ('a')) AS T(text)")
    create_model(batch_env, "m", "text STRING", "label STRING, score FLOAT", "basic.Upper",
                 models=str(missing), **{"model-directory-check": "false"})
    query = "SELECT * FROM ML_PREDICT(TABLE words, MODEL m, DESCRIPTOR(text))"
    batch_env.explain_sql(query)  # plans without the directory
    with pytest.raises(Exception, match=f"model directory '{missing}' does not exist"):
        collect(batch_env, query)
