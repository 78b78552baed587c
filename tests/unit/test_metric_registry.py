"""The Python side of user metrics without a JVM: PyFlink's metric API on the context, the
updates that ride on each answer, and the no-Flink runner's view of them."""
import json
import math

import pytest

from pyflink.metrics import Counter, Distribution, Meter, MetricGroup

from paths import SHARED_RULES
from pyflink_ml_predict import load_predict_function
from pyflink_ml_predict.api.metrics import DISTRIBUTION_WINDOW, MetricRegistry
from pyflink_ml_predict.runtime import protocol
from pyflink_ml_predict.runtime.session import ModelSession

from paths import MODELS


def test_the_group_offers_pyflinks_metric_types():
    group = MetricRegistry().root()
    assert isinstance(group, MetricGroup)
    assert isinstance(group.counter("c"), Counter)
    assert isinstance(group.meter("m"), Meter)
    assert isinstance(group.distribution("d"), Distribution)
    assert group.gauge("g", lambda: 1) is None
    assert isinstance(group.add_group("a", "b"), MetricGroup)


def test_updates_carry_new_metrics_once_and_values_only_when_they_change():
    registry = MetricRegistry()
    group = registry.root()
    counter = group.add_group("cache").counter("hits")
    meter = group.add_group("kind", "long").meter("rate", time_span_in_seconds=5)
    counter.inc(3)
    meter.mark_event(2)
    first = registry.take_updates()
    assert first["new"] == [[0, "counter", [["cache"]], "hits", 0],
                            [1, "meter", [["kind", "long"]], "rate", 5]]
    assert first["values"] == [[0, 3], [1, 2]]
    assert registry.take_updates() is None  # nothing changed
    counter.dec()
    assert registry.take_updates() == {"new": [], "values": [[0, 2]]}


def test_the_window_is_the_shared_rules_window():
    """The JVM's histogram keeps the same window (metrics/WindowHistogram.java)."""
    with open(SHARED_RULES, encoding="utf-8") as f:
        assert DISTRIBUTION_WINDOW == json.load(f)["histogram_window"]


def test_a_distribution_sends_what_was_added_keeping_a_window_and_counting_the_rest():
    registry = MetricRegistry()
    distribution = registry.root().distribution("d")
    for value in range(3 * DISTRIBUTION_WINDOW):
        distribution.update(value)
    distribution.update(float("nan"))  # no place in a histogram: left out
    (_, [added, recent]), = registry.take_updates()["values"]
    assert added == 3 * DISTRIBUTION_WINDOW
    assert recent == [float(v) for v in range(2 * DISTRIBUTION_WINDOW, 3 * DISTRIBUTION_WINDOW)]
    distribution.update(0.5)
    assert registry.take_updates()["values"] == [[0, [1, [0.5]]]]
    with pytest.raises(TypeError, match="distribution 'd' takes numbers, got 'x'"):
        distribution.update("x")


def test_gauges_are_read_with_their_definition_then_at_most_once_a_second(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("pyflink_ml_predict.api.metrics.time.monotonic", lambda: clock[0])
    registry = MetricRegistry()
    value = [1]
    registry.root().gauge("g", lambda: value[0])
    assert registry.take_updates()["values"] == [[0, 1]]
    value[0] = 2
    assert registry.take_updates() is None  # read again only after a second
    clock[0] += 1.0
    assert registry.take_updates() == {"new": [], "values": [[0, 2]]}


def test_a_failing_gauge_is_reported_once_and_never_breaks_an_update(capsys):
    registry = MetricRegistry()
    group = registry.root()
    group.gauge("broken", lambda: 1 / 0)
    group.gauge("not_a_number", lambda: "x")
    group.gauge("nan", lambda: math.nan)
    assert registry.take_updates()["values"] == []
    err = capsys.readouterr().err
    assert "Metric gauge 'broken' failed" in err and "ZeroDivisionError" in err
    assert "Metric gauge 'not_a_number' failed" in err and "not a number" in err
    registry.values()
    assert "broken" not in capsys.readouterr().err  # once


def test_the_same_name_gives_the_same_metric_and_another_kind_is_refused():
    group = MetricRegistry().root()
    assert group.counter("c") is group.counter("c")
    assert group.add_group("g").counter("c") is not group.counter("c")
    with pytest.raises(ValueError, match="metric 'c' is already a counter, not a meter"):
        group.meter("c")
    with pytest.raises(ValueError, match="non-empty string"):
        group.counter("")
    with pytest.raises(TypeError, match="gauge 'g' needs a callable"):
        group.gauge("g", 3)
    with pytest.raises(ValueError, match="time_span_in_seconds must be at least 1"):
        group.meter("m", 0)


def test_the_session_sends_updates_with_ready_and_with_each_result():
    from test_session import batch_message, config_json, STRING, TEXT_SCHEMA
    import pyarrow as pa

    session = ModelSession()
    init = protocol.encode_init(config_json("metered.Metered", [("text", STRING)],
                                            [("label", STRING)]),
                                "0/1", TEXT_SCHEMA, pa.schema([("label", pa.string())]))
    _, _, ready_metrics = protocol.parse_ready(session.handle(init))
    names = {d[3]: d[0] for d in ready_metrics["new"]}
    assert set(names) == {"rows_seen", "rows", "text_length", "rows_rate", "last_length",
                          "worker_pid"}
    answer = protocol.parse_result(session.handle(batch_message({"text": ["a", "long"]})))
    values = dict(answer.metrics["values"])
    assert values[names["rows_seen"]] == 2 and values[names["rows"]] == 1
    assert values[names["text_length"]] == [2, [1.0, 4.0]]
    session.close()


def test_retries_are_counted_in_the_answer():
    from test_session import batch_message, config_json, STRING, TEXT_SCHEMA
    import pyarrow as pa

    session = ModelSession()
    config = config_json("metered.Metered", [("text", STRING)], [("label", STRING)])
    config = config.replace('"runtime": {}', '"runtime": {"error_handling": {"strategy":'
                                             ' "retry", "retry_num": 2,'
                                             ' "retry_fallback": "ignore"}}')
    session.handle(protocol.encode_init(config, "0/1", TEXT_SCHEMA,
                                        pa.schema([("label", pa.string())])))
    answer = protocol.parse_result(session.handle(batch_message({"text": ["ok", "bad"]})))
    assert answer.counts == [1, -1]
    # After the batch failed: 'ok' once alone, 'bad' three times (1 + retry-num 2).
    assert answer.retries == 4
    session.close()


def test_the_local_runner_takes_the_same_calls_and_shows_the_values():
    with load_predict_function(MODELS, "metered.Metered", "text STRING",
                               "label STRING") as model:
        model.predict_rows([{"text": "a"}, {"text": "longer"}])
        metrics = model.metrics
    assert metrics["rows_seen"] == 2
    assert metrics["texts.kind.long.rows"] == 1
    assert metrics["text_length"] == 2
    assert metrics["last_length"] == 6


def test_numpy_counts_travel_as_plain_numbers_and_a_nan_count_is_not_sent():
    import numpy as np

    registry = MetricRegistry()
    group = registry.root()
    group.counter("low").inc((np.array([0.1, 0.7, 0.2]) < 0.5).sum())  # a numpy.int64
    group.counter("odd").inc(float("nan"))
    updates = registry.take_updates()
    assert updates["values"] == [[0, 2]] and type(updates["values"][0][1]) is int
    assert protocol.metrics_chunk(updates)  # encodes
