package io.pyflinkml.predict.metrics;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The metrics a PredictFunction registered through {@code context.get_metric_group()}, made
 * real in Flink: each one registered under the ML_PREDICT operator's group (as PyFlink's UDF
 * metrics are) and set from the updates Python sends with its answers. The updates' form is
 * {@code MetricRegistry.take_updates} in {@code pyflink_ml_predict/api/metrics.py}.
 */
public final class UserMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(UserMetrics.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetricGroup operatorGroup;
    private final String model;
    private final List<Object> metrics = new ArrayList<>(); // by the id Python gave them
    private boolean warned;

    UserMetrics(MetricGroup operatorGroup, String model) {
        this.operatorGroup = operatorGroup;
        this.model = model;
    }

    /** Applies one update; a bad one is logged once and never fails the batch it came with. */
    public void apply(byte[] message, int offset, int length) {
        if (length == 0) {
            return;
        }
        try {
            JsonNode update = JSON.readTree(message, offset, length);
            for (JsonNode definition : update.get("new")) {
                define(definition);
            }
            for (JsonNode value : update.get("values")) {
                set(metrics.get(value.get(0).asInt()), value.get(1));
            }
        } catch (Exception e) {
            if (!warned) {
                warned = true;
                LOG.warn("Ignoring a metric update from the Python model of {}", model, e);
            }
        }
    }

    private void define(JsonNode definition) {
        int id = definition.get(0).asInt();
        String kind = definition.get(1).asText();
        MetricGroup group = operatorGroup;
        for (JsonNode part : definition.get(2)) {
            group = part.size() == 1
                    ? group.addGroup(part.get(0).asText())
                    : group.addGroup(part.get(0).asText(), part.get(1).asText());
        }
        String name = definition.get(3).asText();
        Object metric;
        switch (kind) {
            case "counter":
                metric = group.counter(name, new SimpleCounter());
                break;
            case "meter":
                metric = group.meter(name, new MeterView(definition.get(4).asInt()));
                break;
            case "gauge":
                metric = group.gauge(name, new NumberGauge());
                break;
            case "distribution":
                metric = group.histogram(name, new WindowHistogram());
                break;
            default:
                throw new IllegalArgumentException("unknown metric kind " + kind);
        }
        while (metrics.size() <= id) {
            metrics.add(null);
        }
        metrics.set(id, metric);
    }

    private static void set(Object metric, JsonNode value) {
        if (metric instanceof SimpleCounter) {
            SimpleCounter counter = (SimpleCounter) metric;
            counter.inc(value.asLong() - counter.getCount());
        } else if (metric instanceof MeterView) {
            MeterView meter = (MeterView) metric;
            meter.markEvent(value.asLong() - meter.getCount());
        } else if (metric instanceof NumberGauge) {
            ((NumberGauge) metric).value =
                    value.isIntegralNumber() ? (Number) value.asLong() : value.asDouble();
        } else if (metric instanceof WindowHistogram) {
            WindowHistogram histogram = (WindowHistogram) metric;
            JsonNode values = value.get(1);
            histogram.skipped(value.get(0).asLong() - values.size());
            for (JsonNode v : values) {
                histogram.add(v.asDouble());
            }
        }
    }

    /** A gauge of the latest value Python read. */
    private static final class NumberGauge implements Gauge<Number> {
        volatile Number value;

        @Override
        public Number getValue() {
            return value;
        }
    }
}
