package io.pyflinkml.predict.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The {@value #GROUP} metrics of one ML_PREDICT subtask, under its operator's metric group
 * (README "Metrics" lists them; their names stay as they are so dashboards can rely on them),
 * and the user's own metrics from Python beside them.
 *
 * <p>Each counter is updated by one thread at a time: requests and batches by the sender,
 * the rest by the receiver.
 */
public final class InferenceMetrics {

    public static final String GROUP = "model_inference";

    private final Counter requests;
    private final Counter success;
    private final Counter failure;
    private final Counter retries;
    private final Counter rowsOutput;
    private final Counter batches;
    private final WindowHistogram batchSize = new WindowHistogram();
    private final WindowHistogram latency = new WindowHistogram();
    private final Counter workerRestarts;
    private final String subtaskKey;
    private final UserMetrics user;
    private volatile long loadTimeMillis;

    public InferenceMetrics(MetricGroup operatorGroup, String model) {
        MetricGroup group = operatorGroup.addGroup(GROUP);
        requests = group.counter("inference_requests");
        success = group.counter("inference_requests_success");
        failure = group.counter("inference_requests_failure");
        retries = group.counter("inference_retries");
        rowsOutput = group.counter("inference_rows_output");
        batches = group.counter("inference_batches");
        group.histogram("inference_batch_size", batchSize);
        group.histogram("inference_latency", latency);
        group.gauge("model_load_time_ms", (Gauge<Long>) () -> loadTimeMillis);
        workerRestarts = group.counter("python_worker_restarts");
        subtaskKey = WorkerRestarts.key(operatorGroup);
        user = new UserMetrics(operatorGroup, model);
    }

    /** A Python worker was started and opened the model in {@code nanos}. */
    public void workerOpened(long nanos) {
        loadTimeMillis = nanos / 1_000_000;
        workerRestarts.inc(WorkerRestarts.crashesBefore(subtaskKey) - workerRestarts.getCount());
    }

    /** The worker ended without being asked to (it crashed, or the watchdog stopped it). */
    public void workerLost() {
        WorkerRestarts.crashed(subtaskKey);
    }

    public void sent(int rows) {
        requests.inc(rows);
        batches.inc();
        batchSize.add(rows);
    }

    /**
     * Python answered a batch after {@code nanos}: {@code answered} rows predicted, {@code
     * skipped} skipped by the error policy, {@code outputs} rows produced, {@code retried} row
     * predictions repeated under 'retry'.
     */
    public void answered(long nanos, int answered, int skipped, int outputs, int retried) {
        latency.add(nanos / 1e6);
        success.inc(answered);
        failure.inc(skipped);
        rowsOutput.inc(outputs);
        retries.inc(retried);
    }

    /** A batch of {@code rows} got no answer: Python failed it, or the worker is gone. */
    public void failed(int rows) {
        failure.inc(rows);
    }

    public UserMetrics user() {
        return user;
    }
}
