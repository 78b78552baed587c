package io.pyflinkml.predict.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A metric group that keeps what is registered in it and its subgroups, by dotted name
 * ("model_inference.inference_requests"), with the variables a task's group has (job id,
 * operator id, subtask index) when given. Flink's real groups need a metric registry and a task.
 */
public final class RecordingMetricGroup extends UnregisteredMetricsGroup {

    private final Map<String, Metric> metrics;
    private final Map<String, String> variables;
    private final String scope;

    /** A group outside a task (no job). */
    public RecordingMetricGroup() {
        this(Collections.emptyMap());
    }

    /** An operator's group in a task: {@code <job_id>}, {@code <operator_id>}, {@code <subtask_index>}. */
    public static RecordingMetricGroup inTask(String job, String operator, int subtask) {
        Map<String, String> variables = new TreeMap<>();
        variables.put("<job_id>", job);
        variables.put("<operator_id>", operator);
        variables.put("<subtask_index>", String.valueOf(subtask));
        return new RecordingMetricGroup(variables);
    }

    public RecordingMetricGroup(Map<String, String> variables) {
        this(new TreeMap<>(), variables, "");
    }

    private RecordingMetricGroup(Map<String, Metric> metrics, Map<String, String> variables, String scope) {
        this.metrics = metrics;
        this.variables = variables;
        this.scope = scope;
    }

    /** Every metric registered here or below, by dotted name. */
    public Map<String, Metric> metrics() {
        return metrics;
    }

    @SuppressWarnings("unchecked")
    public <M extends Metric> M get(String name) {
        M metric = (M) metrics.get(name);
        if (metric == null) {
            throw new AssertionError("no metric " + name + " among " + metrics.keySet());
        }
        return metric;
    }

    public long count(String name) {
        return this.<Counter>get(name).getCount();
    }

    private <M extends Metric> M register(String name, M metric) {
        synchronized (metrics) {
            metrics.put(scope + name, metric);
        }
        return metric;
    }

    @Override
    public Counter counter(String name) {
        return counter(name, new org.apache.flink.metrics.SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        return register(name, counter);
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        return register(name, gauge);
    }

    @Override
    public <M extends Meter> M meter(String name, M meter) {
        return register(name, meter);
    }

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
        return register(name, histogram);
    }

    @Override
    public MetricGroup addGroup(String name) {
        return new RecordingMetricGroup(metrics, variables, scope + name + ".");
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        return new RecordingMetricGroup(metrics, variables, scope + key + "." + value + ".");
    }

    @Override
    public Map<String, String> getAllVariables() {
        return variables;
    }
}
