"""Versioned model directories, as TensorFlow Serving and Triton lay them out: the model
directory holds numbered version subdirectories (``/models/sentiment/1``, ``.../2``), each a
complete model directory. A version is published by renaming a complete directory into place
(a rename is atomic); only names made of digits count, so a directory being written under any
other name (``.3.tmp``, ``3-incoming``) is never served. This module alone says what a version
is; the provider checks the option's value and a pinned version's directory at plan time (by
the same rule: tests/fixtures/shared_rules.json lists the names both sides' tests check)."""
import os
import time
from typing import List, Optional, Tuple

__all__ = ["ModelVersions", "VersionError", "parse"]


class VersionError(RuntimeError):
    """No version to serve; says which model and directory."""


class ModelVersions:
    """The versions of one model directory, and when to look for a newer one."""

    def __init__(self, root: str, wanted: str, update_interval_s: float, model: str) -> None:
        self.root = root
        self.wanted = wanted  # "latest" or a version number
        self.update_interval_s = update_interval_s
        self.model = model
        self._looked_at = time.monotonic()

    def available(self) -> List[str]:
        """The version directories' names, oldest first (by number: '10' after '9', '0002'
        after '1')."""
        try:
            names = os.listdir(self.root)
        except OSError as e:
            raise VersionError(f"{self.model}: cannot list the versions in model directory"
                               f" '{self.root}': {e}") from e
        return sorted((n for n in names if n.isascii() and n.isdigit()
                       and os.path.isdir(os.path.join(self.root, n))), key=int)

    def directory(self, version: str) -> str:
        return os.path.join(self.root, version)

    def first(self) -> str:
        """The version to open: the pinned one, or the newest."""
        if self.wanted != "latest":
            if not os.path.isdir(self.directory(self.wanted)):
                raise VersionError(f"{self.model}: model-version {self.wanted} has no directory"
                                   f" '{self.directory(self.wanted)}'")
            return self.wanted
        versions = self.available()
        if not versions:
            raise VersionError(
                f"{self.model}: model-version 'latest' needs numbered version directories in"
                f" '{self.root}' (for example '{self.directory('1')}'); it has none")
        return versions[-1]

    def newer(self, current: str) -> Optional[str]:
        """With 'latest', once per update interval: a version newer than ``current``, or None."""
        if self.wanted != "latest":
            return None
        now = time.monotonic()
        if now - self._looked_at < self.update_interval_s:
            return None
        self._looked_at = now
        versions = [v for v in self.available() if int(v) > int(current)]
        return versions[-1] if versions else None


def parse(runtime: dict) -> Optional[Tuple[str, float]]:
    """(model-version, update interval in seconds) from the provider's runtime config."""
    versions = runtime.get("versions")
    if not versions:
        return None
    return str(versions["version"]), float(versions.get("update_interval_ms", 60000)) / 1000
