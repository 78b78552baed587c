"""Models and Python dependencies that travel with the job: ``model-directory-path`` as a URI or
an archive fetched into each TaskManager's model cache, ``model-directory-ship``, and PyFlink's
``python.files`` / ``python.archives`` / ``python.requirements`` / ``python.pythonpath`` for the
model's worker, in both execution modes, on PyFlink's local mini-cluster."""
import os
import shutil
import tarfile
import zipfile

import pytest

from flink_jobs import collect, create_model, new_table_env

OUTPUT = "label STRING, directory STRING, subtask INT, helper STRING"
QUERY = "SELECT text, label, directory, subtask, helper FROM ML_PREDICT(TABLE words, MODEL m," \
        " DESCRIPTOR(text))"

MODEL_CODE = '''
import os

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class Greeter(PredictFunction):
    """label = the model's greeting.txt and the text; also says where the model was found and
    what the job's Python dependencies provided."""

    def open(self, context):
        self.subtask = context.get_index_of_this_subtask()
        with open(os.path.join(self.model_directory, "greeting.txt")) as f:
            self.greeting = f.read().strip()
        found = []
        for module in ("shipped_helper", "archived_helper", "tiny_requirement"):
            try:
                found.append(__import__(module).VALUE)
            except ImportError:
                pass
        self.helper = ",".join(found)

    def predict(self, data):
        return [Row(self.greeting + " " + data.text, os.path.realpath(self.model_directory),
                    self.subtask, self.helper)]
'''


def write_model(folder, greeting="hello"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "greeter.py").write_text(MODEL_CODE)
    (folder / "greeting.txt").write_text(greeting)
    return folder


def zip_folder(folder, archive, top_level=True):
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder.parent if top_level else folder)
            z.write(path, str(relative))
    return archive


def tar_folder(folder, archive, top_level=True):
    with tarfile.open(archive, "w:gz") as t:
        t.add(folder, arcname=folder.name if top_level else ".")
    return archive


def words_env(cache, parallelism=1, texts=("a", "b")):
    t_env = new_table_env(streaming=parallelism > 1, parallelism=parallelism)
    t_env.get_config().set("generic-python.model-cache.directory", str(cache))
    if parallelism == 1:
        values = ", ".join(f"('{t}')" for t in texts)
        t_env.execute_sql(
            f"CREATE TEMPORARY VIEW words AS SELECT * FROM (VALUES {values}) AS T(text)")
    else:
        # A parallel source, so that every subtask of ML_PREDICT gets rows: 't1' ... 't<n>'.
        t_env.execute_sql(
            "CREATE TEMPORARY TABLE numbers (n INT) WITH ('connector' = 'datagen',"
            " 'fields.n.kind' = 'sequence', 'fields.n.start' = '1',"
            f" 'fields.n.end' = '{len(texts)}')")
        t_env.execute_sql("CREATE TEMPORARY VIEW words AS SELECT CONCAT('t', CAST(n AS STRING))"
                          " AS text FROM numbers")
    return t_env


def run(t_env, path, **options):
    create_model(t_env, "m", "text STRING", OUTPUT, "greeter.Greeter", models=str(path),
                 **options)
    return sorted(collect(t_env, QUERY))


def entries(cache):
    return sorted(p.name for p in cache.iterdir() if p.is_dir() and not p.name.startswith("."))


# -- where the model comes from ----------------------------------------------------------------

def test_a_file_uri_directory_is_used_in_place(tmp_path):
    model = write_model(tmp_path / "model")
    rows = run(words_env(tmp_path / "cache"), model.as_uri())
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("a", "hello a", str(model)), ("b", "hello b", str(model))]
    assert not (tmp_path / "cache").exists()  # nothing was fetched


@pytest.mark.parametrize("mode", ["process", "thread"])
@pytest.mark.parametrize("kind,top_level", [("zip", True), ("zip", False), ("tar.gz", True),
                                            ("tar.gz", False)])
def test_an_archive_is_fetched_into_the_cache_and_extracted(tmp_path, kind, top_level, mode):
    model = write_model(tmp_path / "model", greeting=f"hi from {kind}")
    archive = tmp_path / f"model.{kind}"
    (zip_folder if kind == "zip" else tar_folder)(model, archive, top_level=top_level)
    shutil.rmtree(model)  # only the archive is left
    cache = tmp_path / "cache"
    uri = archive.as_uri() if top_level else str(archive)
    rows = run(words_env(cache), uri, **{"execution-mode": mode})
    [entry] = entries(cache)
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("a", f"hi from {kind} a", str(cache / entry)), ("b", f"hi from {kind} b", str(cache / entry))]


def test_one_fetch_serves_every_subtask_and_later_jobs_until_the_model_changes(tmp_path):
    model = write_model(tmp_path / "model", greeting="v1")
    archive = zip_folder(model, tmp_path / "model.zip")
    cache = tmp_path / "cache"
    texts = [f"t{i}" for i in range(1, 17)]

    rows = run(words_env(cache, parallelism=4, texts=texts), archive.as_uri())
    assert {r[3] for r in rows} == {0, 1, 2, 3}, "every subtask should have answered"
    [entry] = entries(cache)
    assert {r[2] for r in rows} == {str(cache / entry)}
    assert {r[1] for r in rows} == {f"v1 {t}" for t in texts}
    inode = (cache / entry).stat().st_ino
    (cache / entry / "marker").write_text("left by the test")

    # The same archive again: the cached copy, not a new fetch.
    rows = run(words_env(cache, parallelism=4, texts=texts), archive.as_uri())
    assert entries(cache) == [entry] and (cache / entry).stat().st_ino == inode
    assert (cache / entry / "marker").exists()

    # A changed archive is fetched again, and the unused older copy goes.
    write_model(model, greeting="v2")
    zip_folder(model, archive)
    rows = run(words_env(cache, texts=texts), archive.as_uri())
    assert {r[1] for r in rows} == {f"v2 {t}" for t in texts}
    [newer] = entries(cache)
    assert newer != entry and {r[2] for r in rows} == {str(cache / newer)}


def test_a_shipped_archive_reaches_the_taskmanager_through_the_distributed_cache(tmp_path):
    model = write_model(tmp_path / "model", greeting="shipped")
    archive = tar_folder(model, tmp_path / "model.tar.gz")
    shutil.rmtree(model)
    cache = tmp_path / "cache"
    rows = run(words_env(cache), archive, **{"model-directory-ship": "true"})
    [entry] = entries(cache)
    assert [r[1] for r in rows] == ["shipped a", "shipped b"]
    assert {r[2] for r in rows} == {str(cache / entry)}


def test_a_shipped_directory_is_unpacked_by_flinks_distributed_cache(tmp_path):
    model = write_model(tmp_path / "model", greeting="dir")
    rows = run(words_env(tmp_path / "cache"), model, **{"model-directory-ship": "true"})
    assert [r[1] for r in rows] == ["dir a", "dir b"]
    assert {r[2] for r in rows} != {str(model)}, "the job should read the shipped copy"


# -- bad input ---------------------------------------------------------------------------------

def plan_error(tmp_path, path, **options):
    t_env = words_env(tmp_path / "cache")
    create_model(t_env, "m", "text STRING", OUTPUT, "greeter.Greeter", models=str(path),
                 **options)
    with pytest.raises(Exception) as failure:
        t_env.explain_sql(QUERY)
    return str(failure.value)


def test_a_scheme_without_a_file_system_is_named_at_plan_time(tmp_path):
    message = plan_error(tmp_path, "nofs://somewhere/model.zip")
    assert "no file system for its scheme" in message
    assert "default_catalog.default_database.m" in message or "'m'" in message
    assert "nofs://somewhere/model.zip" in message


def test_a_file_that_is_not_an_archive_is_named_at_plan_time(tmp_path):
    bogus = tmp_path / "model.zip"
    bogus.write_text("not a zip at all")
    message = plan_error(tmp_path, bogus)
    assert "not a readable archive" in message and str(bogus) in message


def test_an_archive_without_the_predict_class_is_named_at_plan_time(tmp_path):
    folder = tmp_path / "weights"
    folder.mkdir()
    (folder / "greeting.txt").write_text("no code here")
    archive = tar_folder(folder, tmp_path / "weights.tar.gz")
    message = plan_error(tmp_path, archive)
    assert "without the module of the predict class 'greeter.Greeter'" in message
    assert "greeter.py" in message and str(archive) in message


def test_a_failed_fetch_names_the_model_and_the_path(tmp_path):
    missing = tmp_path / "gone" / "model.zip"
    t_env = words_env(tmp_path / "cache")
    create_model(t_env, "m", "text STRING", OUTPUT, "greeter.Greeter", models=missing.as_uri(),
                 **{"model-directory-check": "false"})
    t_env.explain_sql(QUERY)  # plans without the archive
    with pytest.raises(Exception) as failure:
        collect(t_env, QUERY)
    message = str(failure.value)
    assert "model 'default_catalog.default_database.m'" in message
    assert str(missing) in message and "does not exist" in message


# -- PyFlink's Python dependency options -------------------------------------------------------

def tiny_wheel(folder):
    """A wheel of a one-module package, built by hand so pip installs it offline."""
    folder.mkdir()
    wheel = folder / "tiny_requirement-0.1-py3-none-any.whl"
    info = "tiny_requirement-0.1.dist-info"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("tiny_requirement.py", "VALUE = 'from requirements'\n")
        z.writestr(f"{info}/METADATA",
                   "Metadata-Version: 2.1\nName: tiny-requirement\nVersion: 0.1\n")
        z.writestr(f"{info}/WHEEL",
                   "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr(f"{info}/RECORD", "")
    return folder


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_python_files_archives_and_requirements_reach_the_worker(tmp_path, mode):
    model = write_model(tmp_path / "model", greeting="deps")
    helper = tmp_path / "shipped_helper.py"
    helper.write_text("VALUE = 'from python.files'\n")
    packed = tmp_path / "packed"
    packed.mkdir()
    (packed / "archived_helper.py").write_text("VALUE = 'from python.archives'\n")
    archive = zip_folder(packed, tmp_path / "helpers.zip", top_level=False)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("tiny-requirement==0.1\n")
    wheels = tiny_wheel(tmp_path / "wheels")

    t_env = words_env(tmp_path / "cache")
    config = t_env.get_config()
    config.set("python.files", str(helper))
    config.set("python.archives", f"{archive}#helpers")
    config.set("python.requirements", f"{requirements}#{wheels}")
    # The archive is extracted into the worker's working directory: a relative path is found there.
    config.set("python.pythonpath", "helpers")
    rows = run(t_env, model, **{"execution-mode": mode})
    assert [r[1] for r in rows] == ["deps a", "deps b"]
    assert {r[4] for r in rows} == {"from python.files,from python.archives,from requirements"}


# -- versions in an archive --------------------------------------------------------------------

def test_a_versioned_archive_serves_its_newest_or_its_pinned_version(tmp_path):
    versioned = tmp_path / "versioned"
    for version in ("1", "2"):
        write_model(versioned / version, greeting=f"version {version}")
    archive = tar_folder(versioned, tmp_path / "versioned.tar.gz")
    shutil.rmtree(versioned)
    cache = tmp_path / "cache"
    output = OUTPUT + ", `model-version` STRING"
    query = QUERY.replace("helper FROM", "helper, `model-version` FROM")
    for version, expected in (("latest", "2"), ("1", "1")):
        t_env = words_env(cache)
        create_model(t_env, "m", "text STRING", output, "greeter.Greeter", models=str(archive),
                     **{"model-version": version})
        rows = sorted(collect(t_env, query))
        assert [(r[1], r[5]) for r in rows] == [(f"version {expected} a", expected),
                                                (f"version {expected} b", expected)]

    t_env = words_env(cache)
    create_model(t_env, "m", "text STRING", OUTPUT, "greeter.Greeter", models=str(archive),
                 **{"model-version": "3"})
    with pytest.raises(Exception, match=f"pins 'model-version' = '3', but '{archive}' has no"
                                        " directory '3'"):
        t_env.explain_sql(QUERY)


def test_the_table_api_model_takes_an_archive_uri(tmp_path):
    from pyflink.table import DataTypes

    from pyflink_ml_predict import GenericPythonModel

    model = write_model(tmp_path / "model", greeting="table api")
    archive = zip_folder(model, tmp_path / "model.zip")
    t_env = words_env(tmp_path / "cache")
    predictor = GenericPythonModel(archive.as_uri(), "greeter.Greeter",
                                   [("text", DataTypes.STRING())], OUTPUT)
    result = predictor.predict(t_env, t_env.from_path("words"), ["text"])
    assert sorted(r[1] for r in result.execute().collect()) == ["table api a", "table api b"]


def test_an_archive_of_one_package_is_not_mistaken_for_a_wrapped_model(tmp_path):
    """`zip -r m.zip greeterpkg/` with class greeterpkg.Greeter: the root holds the package, so
    it is the model directory; a single version directory is not unwrapped either."""
    package = tmp_path / "src" / "greeterpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(MODEL_CODE.replace(
        'os.path.join(self.model_directory, "greeting.txt")',
        'os.path.join(os.path.dirname(__file__), "greeting.txt")'))
    (package / "greeting.txt").write_text("packaged")
    archive = zip_folder(package, tmp_path / "package.zip")
    cache = tmp_path / "cache"
    t_env = words_env(cache)
    create_model(t_env, "m", "text STRING", OUTPUT, "greeterpkg.Greeter", models=str(archive))
    rows = sorted(collect(t_env, QUERY))
    assert [r[1] for r in rows] == ["packaged a", "packaged b"]

    only = tmp_path / "only-version"
    write_model(only / "1", greeting="the only version")
    archive = tar_folder(only, tmp_path / "one-version.tar.gz", top_level=False)
    t_env = words_env(cache)
    create_model(t_env, "m", "text STRING", OUTPUT, "greeter.Greeter", models=str(archive),
                 **{"model-version": "1"})
    assert [r[1] for r in sorted(collect(t_env, QUERY))] == ["the only version a",
                                                             "the only version b"]
