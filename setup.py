"""Builds the provider jar from java/ with javac while building the wheel.

No Maven repository is needed: javac compiles against the jars of the PyFlink that the build
environment has (apache-flink-libraries). The jar goes into the wheel at pyflink/lib/, where a
pip-installed PyFlink puts every jar on its local classpath. Only building needs a JDK: the
wheel carries the compiled jar, and installing it needs nothing but a JRE to run it.
"""
import ast
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


def _constant(module, name):
    """A string constant of the package, read without importing it (it imports PyFlink)."""
    with open(os.path.join(HERE, "pyflink_ml_predict", module), encoding="utf-8") as f:
        for node in ast.parse(f.read()).body:
            if isinstance(node, ast.Assign) and any(
                    getattr(t, "id", None) == name for t in node.targets):
                return ast.literal_eval(node.value)
    raise LookupError(f"{name} in pyflink_ml_predict/{module}")


JAR_NAME = _constant("jar.py", "JAR_NAME")
VERSION = _constant("__init__.py", "__version__")


def _pyflink_jars():
    import importlib.util

    spec = importlib.util.find_spec("pyflink")
    folders = list(spec.submodule_search_locations) if spec else []
    jars = []
    for folder in folders:
        jars += glob.glob(os.path.join(folder, "lib", "*.jar"))
        jars += glob.glob(os.path.join(folder, "opt", "flink-python*.jar"))
    if not any("flink-python" in j for j in jars):
        sys.exit("pyflink-ml-predict: no PyFlink jars found to compile against"
                 " (install apache-flink-libraries==2.3.0 in the build environment)")
    return [j for j in jars if JAR_NAME not in j]


def _javac():
    home = os.environ.get("JAVA_HOME")
    candidate = os.path.join(home, "bin", "javac") if home else shutil.which("javac")
    if not candidate or not os.path.exists(candidate):
        sys.exit("pyflink-ml-predict: javac (JDK 11+) is needed to build the provider jar")
    return candidate


def build_jar(target_dir):
    sources = sorted(glob.glob(os.path.join(HERE, "java", "src", "main", "java", "**", "*.java"),
                               recursive=True))
    if not sources:
        sys.exit("pyflink-ml-predict: no Java sources under java/src/main/java to build the"
                 " provider jar from")
    resources = os.path.join(HERE, "java", "src", "main", "resources")
    with tempfile.TemporaryDirectory() as classes:
        subprocess.check_call([
            _javac(), "-nowarn", "--release", "11", "-encoding", "UTF-8",
            "-cp", os.pathsep.join(_pyflink_jars()), "-d", classes, *sources,
        ])
        os.makedirs(target_dir, exist_ok=True)
        jar = os.path.join(target_dir, JAR_NAME)
        with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr("META-INF/MANIFEST.MF",
                         "Manifest-Version: 1.0\nImplementation-Title: pyflink-ml-predict\n"
                         f"Implementation-Version: {VERSION}\n")
            for name in ("LICENSE", "NOTICE"):
                out.write(os.path.join(HERE, name), f"META-INF/{name}")
            for root in (classes, resources):
                for path in sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True)):
                    if os.path.isfile(path):
                        out.write(path, os.path.relpath(path, root))
    return jar


class BuildPyWithJar(build_py):
    def run(self):
        super().run()
        jar = build_jar(os.path.join(self.build_lib, "pyflink", "lib"))
        print(f"built {jar}")


setup(cmdclass={"build_py": BuildPyWithJar})
