"""Versioned model directories without Flink: which version opens, a newer one published while
serving is switched to between two calls, and a broken one leaves the old one serving. The
no-Flink runner goes through the same session as a job's worker."""
import json
import os

import pytest

from paths import SHARED_RULES
from pyflink_ml_predict import PredictionError, load_predict_function
from pyflink_ml_predict.runtime.versions import ModelVersions

MODULE = '''
import os
from pyflink.common import Row
from pyflink_ml_predict import PredictFunction
import helper

class Versioned(PredictFunction):
    def open(self, context):
        if {broken}:
            raise RuntimeError("version {n} cannot load its weights")
        self.tag = helper.TAG

    def predict(self, data):
        return [Row(f"{{self.tag}}:{{self.model_version}}:{{os.path.basename(self.model_directory)}}")]

    def close(self):
        open(os.path.join(self.properties["marks"], "closed-{n}"), "w").close()
'''


def publish(root, n, broken=False, name=None):
    """Writes version n under a temporary name, then renames it into place (the publishing
    step the README describes)."""
    staging = root / f".{n}.tmp"
    staging.mkdir()
    (staging / "versioned.py").write_text(MODULE.format(n=n, broken=broken))
    (staging / "helper.py").write_text(f"TAG = 'v{n}'\n")
    os.rename(staging, root / (name or str(n)))


def load(root, marks, version="latest", interval=0.0):
    return load_predict_function(str(root), "versioned.Versioned", "text STRING", "label STRING",
                                 {"marks": str(marks)}, model_version=version,
                                 model_update_interval_s=interval)


@pytest.fixture
def dirs(tmp_path):
    root, marks = tmp_path / "models", tmp_path / "marks"
    root.mkdir()
    marks.mkdir()
    return root, marks


def label(model):
    return model.predict({"text": "x"})[0].label


def test_latest_opens_the_newest_version_and_a_pinned_one_that_version(dirs):
    root, marks = dirs
    publish(root, 1)
    publish(root, 10)  # numbers, not names: 10 is newer than 9
    publish(root, 9)
    with load(root, marks) as model:
        assert label(model) == "v10:10:10" and model.model_version == "10"
    with load(root, marks, version="9") as model:
        assert label(model) == "v9:9:9"


def test_a_new_version_is_switched_to_between_calls_and_the_old_one_closed(dirs):
    root, marks = dirs
    publish(root, 1)
    with load(root, marks) as model:
        assert label(model) == "v1:1:1"
        (root / ".2.partial").mkdir()  # half-written, under a name that is not a version
        (root / "notes").mkdir()
        assert label(model) == "v1:1:1"
        publish(root, 2, name="2")
        # The same module names (versioned, helper) load from the new version's files.
        assert label(model) == "v2:2:2"
        assert (marks / "closed-1").exists() and not (marks / "closed-2").exists()
        assert model.metrics["model_inference.model_updates"] == 1
        assert model.metrics["model_inference.model_version"] == 2
    assert (marks / "closed-2").exists()


def test_a_broken_version_leaves_the_old_one_serving_and_is_tried_again(dirs, capsys):
    root, marks = dirs
    publish(root, 1)
    with load(root, marks) as model:
        publish(root, 2, broken=True)
        assert label(model) == "v1:1:1"
        err = capsys.readouterr().err
        assert "version 2 failed to load; version 1 keeps serving" in err
        assert "RuntimeError: version 2 cannot load its weights" in err
        assert "Python traceback" in err
        assert label(model) == "v1:1:1"  # the next look tries again, and fails again
        assert model.metrics["model_inference.model_update_failures"] == 2
        assert model.metrics["model_inference.model_updates"] == 0
        # The failed open() of the new version left the old one's imports in place.
        import sys
        assert model.function.tag == "v1" and sys.modules["helper"].TAG == "v1"


def test_the_versions_are_the_shared_rules_versions(tmp_path):
    """The provider checks a pinned model-version against the same rule at plan time
    (ModelOptionChecks.java)."""
    with open(SHARED_RULES, encoding="utf-8") as f:
        names = json.load(f)["version_names"]
    for name in names["versions"] + names["not_versions"]:
        (tmp_path / name).mkdir()
    found = ModelVersions(str(tmp_path), "latest", 0.0, "m").available()
    assert found == sorted(names["versions"], key=int)


def test_zero_padded_version_names_are_served_by_their_own_name(dirs):
    root, marks = dirs
    publish(root, 1, name="0001")
    publish(root, 2, name="0002")
    with load(root, marks) as model:
        assert label(model) == "v2:0002:0002"


def test_updates_wait_for_the_interval_and_a_pinned_version_never_changes(dirs):
    root, marks = dirs
    publish(root, 1)
    with load(root, marks, interval=3600) as waiting, load(root, marks, version="1") as pinned:
        publish(root, 2)
        assert label(waiting) == "v1:1:1"
        assert label(pinned) == "v1:1:1"


def test_no_version_or_a_missing_pinned_one_is_named(dirs):
    root, marks = dirs
    with pytest.raises(PredictionError, match="needs numbered version directories in"):
        load(root, marks)
    publish(root, 1)
    with pytest.raises(PredictionError, match="model-version 7 has no directory"):
        load(root, marks, version="7")


def test_http_serving_picks_up_a_new_version_between_requests(dirs):
    import json
    import sys
    import threading
    import urllib.request

    from paths import REPO

    sys.path.insert(0, os.path.join(REPO, "e2e", "serving"))
    from serve import make_server

    root, marks = dirs
    publish(root, 1)

    def ask(base):
        request = urllib.request.Request(f"{base}/predict", data=json.dumps(
            {"rows": [{"text": "x"}]}).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["predictions"][0][0]["label"]

    with load(root, marks) as model:
        server = make_server(model, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            assert ask(base) == "v1:1:1"
            publish(root, 2)
            assert ask(base) == "v2:2:2"
            with urllib.request.urlopen(f"{base}/health", timeout=10) as response:
                assert json.load(response)["version"] == "2"
        finally:
            server.shutdown()
            server.server_close()
