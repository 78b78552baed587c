"""Writes the Python-made wire fixtures the Java tier reads (wire/FlatBatchCodecTest,
runtime/PythonModelSessionTest, ModelConfigTest) into the folder given. java/run-tests.sh runs
it before each run, with the checkout and tests/ on PYTHONPATH, so the fixtures always come
from the Python side as it is (tests/wire_fixtures.py, which test_wire.py uses too):

    PYTHONPATH=.:tests python java/src/test/resources/wire/make_fixtures.py OUT_DIR
"""
import os
import sys

from wire_fixtures import python_flat_batch, python_result, type_json_lines

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "python_result.bin"), "wb") as f:
    f.write(python_result())
with open(os.path.join(out, "python_flat_batch.bin"), "wb") as f:
    f.write(python_flat_batch())
with open(os.path.join(out, "python_type_json.tsv"), "w", encoding="utf-8") as f:
    f.write("".join(line + "\n" for line in type_json_lines()))
