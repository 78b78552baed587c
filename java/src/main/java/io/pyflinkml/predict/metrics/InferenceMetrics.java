package io.pyflinkml.predict.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * The {@value #GROUP} metrics of one ML_PREDICT subtask, under its operator's metric group
 * (README "Metrics" lists them; their names stay as they are so dashboards can rely on them),
 * and the user's own metrics from Python beside them.
 *
 * <p>With worker-scope 'taskmanager' each subtask has its own, counting its rows, and each
 * shared worker one more, in the group {@code shared_worker.<index>.model_inference} of the
 * subtask that started it. The threads of several workers may update one subtask's counters.
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

    private InferenceMetrics(
            MetricGroup group, MetricGroup userGroup, String restartKey, String model) {
        requests = group.counter("inference_requests", new ThreadSafeSimpleCounter());
        success = group.counter("inference_requests_success", new ThreadSafeSimpleCounter());
        failure = group.counter("inference_requests_failure", new ThreadSafeSimpleCounter());
        retries = group.counter("inference_retries", new ThreadSafeSimpleCounter());
        rowsOutput = group.counter("inference_rows_output", new ThreadSafeSimpleCounter());
        batches = group.counter("inference_batches", new ThreadSafeSimpleCounter());
        group.histogram("inference_batch_size", batchSize);
        group.histogram("inference_latency", latency);
        group.gauge("model_load_time_ms", (Gauge<Long>) () -> loadTimeMillis);
        workerRestarts = group.counter("python_worker_restarts");
        subtaskKey = restartKey;
        user = new UserMetrics(userGroup, model);
    }

    /** A subtask's metrics, under its ML_PREDICT operator's group. */
    public static InferenceMetrics forSubtask(MetricGroup operatorGroup, String model) {
        return new InferenceMetrics(
                operatorGroup.addGroup(GROUP),
                operatorGroup,
                WorkerRestarts.key(operatorGroup, null),
                model);
    }

    /**
     * A shared worker's own metrics, in the group {@code shared_worker.<index>} of the subtask
     * that started it (its model's own metrics there too, so that workers do not collide); its
     * restarts are kept by {@code sharing} (the job, the model's options) and the index.
     */
    public static InferenceMetrics forSharedWorker(
            MetricGroup operatorGroup, String model, String sharing, int index) {
        MetricGroup worker = operatorGroup.addGroup("shared_worker", String.valueOf(index));
        return new InferenceMetrics(
                worker.addGroup(GROUP),
                worker,
                WorkerRestarts.key(operatorGroup, sharing + "/" + index),
                model);
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

    /** The time this subtask waited for a shared worker to be opened (or found it open). */
    public void joined(long nanos) {
        loadTimeMillis = nanos / 1_000_000;
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
