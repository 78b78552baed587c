"""``python -m pyflink_ml_predict``: the ``pyflink-ml-predict`` command."""
import sys

from .adapters.cli import main

sys.exit(main())
