"""A packed virtualenv for ``python.archives``, as a user makes one (``venv-pack`` and the like):
a fresh virtualenv with pyflink-ml-predict and everything it requires, zipped, made offline from
the distributions this test run has installed."""
import importlib.metadata
import os
import re
import subprocess
import sys
import sysconfig
import zipfile

import pyflink_ml_predict


def _requirement_closure(name):
    """The distribution and every distribution it requires, recursively (extras left out)."""
    seen = {}
    todo = [name]
    while todo:
        wanted = re.split(r"[\s;<>=!~\[(]", todo.pop(), maxsplit=1)[0]
        key = wanted.lower().replace("_", "-")
        if not key or key in seen:
            continue
        try:
            dist = importlib.metadata.distribution(wanted)
        except importlib.metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                todo.append(requirement)
    return list(seen.values())


def pack_virtualenv(workdir, archive_name="venv.zip"):
    """Creates ``workdir/venv``, zips it (the venv's content at the archive's root, so that
    ``python.archives = venv.zip#venv`` and ``python.executable = venv/bin/python`` find it) and
    returns the archive; the venv's folder is deleted, so only the archive is left."""
    venv = os.path.join(str(workdir), "venv")
    # --copies: the interpreter itself goes into the archive, not a link to this machine's.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--copies", venv], check=True)
    site = os.path.relpath(sysconfig.get_paths(vars={"base": venv, "platbase": venv})["purelib"],
                           venv)
    archive = os.path.join(str(workdir), archive_name)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        written = set()

        def add(path, name):
            if name not in written:  # distributions may share a file (pyflink/README.txt)
                written.add(name)
                z.write(path, name)

        for folder, _dirs, files in os.walk(venv):
            for name in files:
                path = os.path.join(folder, name)
                add(path, os.path.relpath(path, venv))
        for dist in _requirement_closure("pyflink-ml-predict"):
            _add_distribution(add, dist, site)
    subprocess.run(["rm", "-rf", venv], check=True)
    return archive


def _add_distribution(add, dist, site):
    if dist.metadata["Name"].lower() == "pyflink-ml-predict":
        # The code under test, installed or editable: the package folder itself.
        package = os.path.dirname(pyflink_ml_predict.__file__)
        for folder, _dirs, files in os.walk(package):
            for name in files:
                if not name.endswith(".pyc"):
                    path = os.path.join(folder, name)
                    add(path, os.path.join(site, os.path.relpath(path, os.path.dirname(package))))
        return
    for file in dist.files or []:
        relative = str(file)
        if relative.startswith("..") or "__pycache__" in relative:
            continue  # scripts outside site-packages, and caches
        path = file.locate()
        if os.path.isfile(path):
            add(path, os.path.join(site, relative))
