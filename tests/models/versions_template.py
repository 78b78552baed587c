"""The source of one version of a versioned test model (tests write it into version
directories). VERSION and BROKEN are replaced; every version's module and class have the same
names, as a retrained model's would."""
import os

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction

VERSION = "0"
BROKEN = False


class Versioned(PredictFunction):
    """INPUT (id BIGINT) OUTPUT (label STRING, `model-version` STRING): label 'v<version>';
    marks its first prediction ('serving-N'), its close ('closed-N'), and a broken version's
    attempt to open ('tried-N') in properties['marks']."""

    def open(self, context):
        self.marks = self.properties["marks"]
        self.first = True
        if BROKEN:
            open(os.path.join(self.marks, f"tried-{VERSION}"), "w").close()
            raise RuntimeError(f"version {VERSION} cannot load its weights")

    def predict(self, data):
        if self.first:
            self.first = False
            open(os.path.join(self.marks, f"serving-{VERSION}"), "w").close()
        return [Row(f"v{VERSION}")]

    def close(self):
        open(os.path.join(self.marks, f"closed-{VERSION}"), "w").close()
