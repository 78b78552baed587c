package io.pyflinkml.predict.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** The updates' form is MetricRegistry.take_updates in pyflink_ml_predict/api/metrics.py. */
class UserMetricsTest {

    private final RecordingMetricGroup group = new RecordingMetricGroup();
    private final UserMetrics metrics = new UserMetrics(group, "m");

    private void apply(String json) {
        byte[] bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        metrics.apply(bytes, 2, bytes.length - 4);
    }

    @Test
    void eachKindIsRegisteredInItsGroupAndSet() {
        apply("{\"new\": [[0, \"counter\", [[\"model\"]], \"seen\"],"
                + " [1, \"gauge\", [[\"model\"], [\"lang\", \"en\"]], \"confidence\"],"
                + " [2, \"meter\", [], \"rate\", 60],"
                + " [3, \"distribution\", [], \"lengths\"]],"
                + " \"values\": [[0, 5], [1, 0.93], [2, 7], [3, [4, [1.5, 2.5]]]]}");
        assertEquals(5, group.count("model.seen"));
        assertEquals(0.93, group.<Gauge<Number>>get("model.lang.en.confidence").getValue());
        assertEquals(7, group.<Meter>get("rate").getCount());
        Histogram lengths = group.get("lengths");
        assertEquals(4, lengths.getCount(), "two values kept, two older ones only counted");
        assertEquals(2.0, lengths.getStatistics().getMean(), 1e-12);
    }

    @Test
    void laterUpdatesCarryTotalsNotIncrements() {
        apply("{\"new\": [[0, \"counter\", [], \"c\"], [1, \"gauge\", [], \"g\"]], \"values\": [[0, 3], [1, 1]]}");
        apply("{\"new\": [], \"values\": [[0, 10], [1, 2]]}");
        assertEquals(10, group.count("c"));
        assertEquals(2L, group.<Gauge<Number>>get("g").getValue());
    }

    @Test
    void aBadUpdateIsIgnoredAndLaterGoodOnesStillApply() {
        apply("{\"new\": [[0, \"counter\", [], \"c\"]], \"values\": [[0, 1]]}");
        apply("not json");
        apply("{\"new\": [[1, \"histogram-ish\", [], \"x\"]], \"values\": []}");
        apply("{\"new\": [], \"values\": [[0, 4]]}");
        assertEquals(4, group.count("c"));
        assertTrue(!group.metrics().containsKey("x"));
    }

    @Test
    void anEmptyUpdateChangesNothing() {
        metrics.apply(new byte[0], 0, 0);
        assertTrue(group.metrics().isEmpty());
    }
}
