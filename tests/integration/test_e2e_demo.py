"""The README's demo command runs a real ML_PREDICT job and meets its accuracy bar."""
import os
import subprocess
import sys

from paths import REPO

ROOT = REPO


def test_demo_job_runs_and_classifies_the_sample_reviews():
    done = subprocess.run([sys.executable, os.path.join(ROOT, "e2e", "demo", "run.py")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "12 reviews, accuracy 1.00" in done.stdout
    assert "positive +2.00  ok   I love this movie" in done.stdout
