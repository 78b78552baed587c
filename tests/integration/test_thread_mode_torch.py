"""Thread mode embeds CPython through pemja; torch and transformers must import and run there
(torch hangs when first touched from a Flink task thread, hence the owner thread)."""
import importlib.util

import pytest

from flink_jobs import collect, create_model

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None,
    reason="needs the [huggingface] extra (torch, transformers); .ci/run installs it")


@pytest.mark.timeout(300)
@pytest.mark.parametrize("mode", ["thread", "process"])
def test_torch_and_transformers_run_inside_the_job(batch_env, mode):
    batch_env.execute_sql("CREATE TEMPORARY VIEW vectors AS SELECT CAST(v AS ARRAY<DOUBLE>) AS v"
                          " FROM (VALUES (ARRAY[3.0, 4.0, 0.0]), (ARRAY[1.0, 2.0, 2.0])) AS T(v)")
    create_model(batch_env, "m", "v ARRAY<DOUBLE>",
                 "norm DOUBLE, thread STRING, transformers_version STRING",
                 "torch_model.TorchNorm", **{"execution-mode": mode})
    rows = collect(batch_env, "SELECT norm, transformers_version FROM ML_PREDICT(TABLE vectors,"
                              " MODEL m, DESCRIPTOR(v))")
    assert sorted(round(r[0], 5) for r in rows) == [3.0, 5.0]
    assert all(r[1] for r in rows)
