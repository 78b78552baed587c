"""Where the tests' files are, for both tiers."""
import os

TESTS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TESTS)
MODELS = os.path.join(TESTS, "models")
DEMO_MODEL = os.path.join(REPO, "e2e", "demo", "model")
# The values of rules both sides apply, checked by the tests of each (the file says which).
SHARED_RULES = os.path.join(TESTS, "fixtures", "shared_rules.json")
