"""PyFlink's metric API for a PredictFunction: ``context.get_metric_group()`` in ``open``.

The metrics live in the Python worker; Flink registers its own copy of each under the ML_PREDICT
operator's metric group (as PyFlink's UDF metrics are) and learns their values with the answer
to each batch, so they move while the job runs. Counters and meters travel as their totals,
distributions as the values added since the last answer, and gauges are read at most once a
second. Without Flink (``load_predict_function``) the same calls work and
``LocalPredictFunction.metrics`` shows the values.
"""
import math
import numbers
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from pyflink.metrics import Counter, Distribution, Meter, MetricGroup

__all__ = ["MetricRegistry", "ModelMetricGroup"]

#: A distribution's values kept for Flink between two answers; Flink's histogram keeps a
#: sliding window of this many anyway, so older ones are only counted. The JVM's
#: WindowHistogram.WINDOW is the same: tests/fixtures/shared_rules.json holds the value both
#: sides' tests check.
DISTRIBUTION_WINDOW = 1024
GAUGE_INTERVAL_S = 1.0

# A group path: one element per add_group call, [name] or [key, value].
Path = Tuple[Tuple[str, ...], ...]


class _Counter(Counter):
    def __init__(self) -> None:
        self.count = 0

    def inc(self, n: int = 1) -> None:
        self.count += n

    def dec(self, n: int = 1) -> None:
        self.count -= n

    def get_count(self) -> int:
        return self.count


class _Meter(Meter):
    def __init__(self, time_span_in_seconds: int) -> None:
        self.time_span = time_span_in_seconds
        self.count = 0

    def mark_event(self, value: int = 1) -> None:
        self.count += value

    def get_count(self) -> int:
        return self.count


class _Distribution(Distribution):
    """Flink shows it as a histogram (count, min, max, mean, quantiles); a NaN or infinite
    value is left out, as a histogram has no place for it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.pending: List[float] = []
        self.count = 0
        self.sent = 0

    def update(self, value) -> None:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"distribution {self.name!r} takes numbers, got {value!r}")
        if not math.isfinite(value):
            return
        self.count += 1
        pending = self.pending
        pending.append(value)
        if len(pending) > 2 * DISTRIBUTION_WINDOW:
            del pending[:-DISTRIBUTION_WINDOW]


class _Gauge:
    def __init__(self, read: Callable[[], Any]) -> None:
        self.read = read
        self.failed = False


class ModelMetricGroup(MetricGroup):
    """A metric group of the model's operator, or a subgroup made by :meth:`add_group`."""

    def __init__(self, registry: "MetricRegistry", path: Path = ()) -> None:
        self._registry = registry
        self._path = path

    def add_group(self, name: str, extra: Optional[str] = None) -> "ModelMetricGroup":
        _check_name(name, "group")
        part = (name,) if extra is None else (name, str(extra))
        return ModelMetricGroup(self._registry, self._path + (part,))

    def counter(self, name: str) -> Counter:
        return self._registry.register(self._path, name, "counter", _Counter)

    def gauge(self, name: str, obj: Callable[[], Any]) -> None:
        if not callable(obj):
            raise TypeError(f"gauge {name!r} needs a callable returning a number, got"
                            f" {type(obj).__name__}")
        self._registry.register(self._path, name, "gauge", lambda: _Gauge(obj))

    def meter(self, name: str, time_span_in_seconds: int = 60) -> Meter:
        if int(time_span_in_seconds) < 1:
            raise ValueError(f"meter {name!r}: time_span_in_seconds must be at least 1, got"
                             f" {time_span_in_seconds!r}")
        return self._registry.register(self._path, name, "meter",
                                       lambda: _Meter(int(time_span_in_seconds)))

    def distribution(self, name: str) -> Distribution:
        return self._registry.register(self._path, name, "distribution",
                                       lambda: _Distribution(name))


def _check_name(name: Any, what: str) -> None:
    if not isinstance(name, str) or not name:
        raise ValueError(f"a metric {what} name must be a non-empty string, got {name!r}")


class MetricRegistry:
    """Every metric a PredictFunction registered, and what Flink has not heard of yet."""

    def __init__(self) -> None:
        self._metrics: List[Tuple[str, Path, str, Any]] = []  # kind, path, name, metric
        self._by_key: Dict[Tuple[Path, str], int] = {}
        self._announced = 0
        self._sent: Dict[int, Any] = {}
        self._gauges_read_at = float("-inf")

    def root(self) -> ModelMetricGroup:
        return ModelMetricGroup(self)

    def register(self, path: Path, name: str, kind: str, make: Callable[[], Any]) -> Any:
        """The metric of that name and group: made once, the same object when asked again."""
        _check_name(name, kind)
        index = self._by_key.get((path, name))
        if index is not None:
            known_kind, _, _, metric = self._metrics[index]
            if known_kind != kind:
                raise ValueError(f"metric {_dotted(path, name)!r} is already a {known_kind},"
                                 f" not a {kind}")
            if kind == "gauge":
                metric.read = make().read
            return metric
        self._by_key[(path, name)] = len(self._metrics)
        metric = make()
        self._metrics.append((kind, path, name, metric))
        return None if kind == "gauge" else metric

    def take_updates(self) -> Optional[dict]:
        """New metrics and changed values since the last call, or None when nothing changed:
        ``{"new": [[id, kind, path, name, time_span]], "values": [[id, value], ...]}`` where a
        distribution's value is ``[values added since, [the most recent of them]]``."""
        metrics = self._metrics
        if not metrics:
            return None
        new = [[i, kind, [list(p) for p in path], name, getattr(metric, "time_span", 0)]
               for i, (kind, path, name, metric) in enumerate(metrics[self._announced:],
                                                             self._announced)]
        self._announced = len(metrics)
        now = time.monotonic()
        read_gauges = bool(new) or now - self._gauges_read_at >= GAUGE_INTERVAL_S
        if read_gauges:
            self._gauges_read_at = now
        values = []
        sent = self._sent
        for i, (kind, path, name, metric) in enumerate(metrics):
            if kind == "distribution":
                if metric.count != metric.sent:
                    recent = [float(v) for v in metric.pending[-DISTRIBUTION_WINDOW:]]
                    values.append([i, [metric.count - metric.sent, recent]])
                    metric.sent = metric.count
                    metric.pending = []
                continue
            if kind == "gauge":
                if not read_gauges:
                    continue
                value = self._read_gauge(path, name, metric)
            else:
                value = _plain(metric.count)
            if value is not None and sent.get(i) != value:
                sent[i] = value
                values.append([i, value])
        if not new and not values:
            return None
        return {"new": new, "values": values}

    @staticmethod
    def _read_gauge(path: Path, name: str, gauge: _Gauge) -> Optional[float]:
        try:
            value = gauge.read()
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"returned {value!r}, not a number")
            if not math.isfinite(value):
                return None  # no reading: the gauge keeps its last value
            return int(value) if isinstance(value, numbers.Integral) else float(value)
        except Exception as e:
            if not gauge.failed:  # once: the worker's stderr reaches Flink's log
                gauge.failed = True
                print(f"Metric gauge {_dotted(path, name)!r} failed, its value stays as it was:"
                      f" {e!r}", file=sys.stderr)
            return None

    def values(self) -> Dict[str, Any]:
        """Each metric's current value by its dotted name (counters and meters: their count;
        gauges: a fresh reading; distributions: how many values)."""
        result = {}
        for kind, path, name, metric in self._metrics:
            if kind == "gauge":
                result[_dotted(path, name)] = self._read_gauge(path, name, metric)
            else:
                result[_dotted(path, name)] = metric.count
        return result


def _plain(value: Any) -> Optional[float]:
    """A count as JSON holds it: numpy's integers (``inc((scores < 0.5).sum())``) become int;
    a count that is not a finite number is not sent."""
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and math.isfinite(value):
        return float(value)
    return None


def _dotted(path: Path, name: str) -> str:
    return ".".join([part for group in path for part in group] + [name])
