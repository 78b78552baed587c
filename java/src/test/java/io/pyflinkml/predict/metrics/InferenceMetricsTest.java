package io.pyflinkml.predict.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.TreeSet;

class InferenceMetricsTest {

    @Test
    void theDocumentedMetricsAreRegisteredUnderModelInference() {
        RecordingMetricGroup group = new RecordingMetricGroup();
        InferenceMetrics.forSubtask(group, "m");
        assertEquals(
                new TreeSet<>(Arrays.asList(
                        "model_inference.inference_requests",
                        "model_inference.inference_requests_success",
                        "model_inference.inference_requests_failure",
                        "model_inference.inference_retries",
                        "model_inference.inference_rows_output",
                        "model_inference.inference_batches",
                        "model_inference.inference_batch_size",
                        "model_inference.inference_latency",
                        "model_inference.model_load_time_ms",
                        "model_inference.python_worker_restarts")),
                group.metrics().keySet());
    }

    @Test
    void batchesAndAnswersAreCounted() {
        RecordingMetricGroup group = new RecordingMetricGroup();
        InferenceMetrics metrics = InferenceMetrics.forSubtask(group, "m");
        metrics.sent(3);
        metrics.sent(5);
        metrics.answered(2_500_000, 6, 1, 9, 2);
        metrics.failed(1);
        metrics.workerOpened(1_234_000_000L);
        String g = "model_inference.";
        assertEquals(8, group.count(g + "inference_requests"));
        assertEquals(2, group.count(g + "inference_batches"));
        assertEquals(6, group.count(g + "inference_requests_success"));
        assertEquals(2, group.count(g + "inference_requests_failure"));
        assertEquals(9, group.count(g + "inference_rows_output"));
        assertEquals(2, group.count(g + "inference_retries"));
        assertEquals(4.0, group.<Histogram>get(g + "inference_batch_size").getStatistics().getMean(), 1e-12);
        assertEquals(2.5, group.<Histogram>get(g + "inference_latency").getStatistics().getMean(), 1e-12);
        assertEquals(1234L, group.<Gauge<Long>>get(g + "model_load_time_ms").getValue());
    }

    @Test
    void aSharedWorkersMetricsLiveInItsOwnGroup() {
        RecordingMetricGroup group = RecordingMetricGroup.inTask("job-a", "op", 0);
        InferenceMetrics.forSharedWorker(group, "m", "job-a/key", 1).sent(4);
        assertEquals(4, group.count("shared_worker.1.model_inference.inference_requests"));
    }

    /** A crash restarts the task with fresh metrics; the restart count must survive it. */
    @Test
    void workerRestartsOutliveTheTaskAttemptThatCounted() {
        String job = "restarts-" + System.nanoTime();
        RecordingMetricGroup first = RecordingMetricGroup.inTask(job, "op", 2);
        InferenceMetrics attempt = InferenceMetrics.forSubtask(first, "m");
        attempt.workerOpened(0);
        attempt.workerLost();
        attempt.workerLost();

        RecordingMetricGroup second = RecordingMetricGroup.inTask(job, "op", 2);
        InferenceMetrics.forSubtask(second, "m").workerOpened(0);
        assertEquals(2, second.count("model_inference.python_worker_restarts"));

        RecordingMetricGroup otherSubtask = RecordingMetricGroup.inTask(job, "op", 3);
        InferenceMetrics.forSubtask(otherSubtask, "m").workerOpened(0);
        assertEquals(0, otherSubtask.count("model_inference.python_worker_restarts"));
    }

    @Test
    void outsideATaskNothingCountsAsARestart() {
        RecordingMetricGroup group = new RecordingMetricGroup();
        InferenceMetrics metrics = InferenceMetrics.forSubtask(group, "m");
        metrics.workerLost();
        metrics.workerOpened(0);
        assertEquals(0, group.count("model_inference.python_worker_restarts"));
        assertTrue(group.metrics().containsKey("model_inference.inference_latency"));
    }
}
