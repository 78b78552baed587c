"""The ways to run a PredictFunction besides a SQL ``CREATE MODEL``: the Table API
(``table_api``), without Flink (``local``), and the ``pyflink-ml-predict`` command (``cli``,
with ``sql_script`` and the in-flight cap of ``in_flight``). The top layer: builds on ``api``,
``conversion``, ``runtime`` and ``sql_types``."""
