package io.pyflinkml.predict.runtime;

import static io.pyflinkml.predict.runtime.PythonWorkers.x;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.GenericPythonModelOptions.WorkerScope;
import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.metrics.InferenceMetrics;
import io.pyflinkml.predict.metrics.RecordingMetricGroup;
import io.pyflinkml.predict.transport.PythonWorkerException;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** worker-scope 'taskmanager': subtasks of one job and model share workers (real ones here). */
@Timeout(60)
class SharedWorkerPoolTest {

    private final String job = "job-" + System.nanoTime();
    private final RecordingMetricGroup group = RecordingMetricGroup.inTask(job, "op", 0);
    private final InferenceMetrics metrics = InferenceMetrics.forSubtask(group, "m");

    private static ModelConfig shared(String model, String... properties) {
        io.pyflinkml.predict.TestModels.Builder builder =
                PythonWorkers.model(model).scope(WorkerScope.TASKMANAGER, 1).batchSize(10);
        for (int i = 0; i < properties.length; i += 2) {
            builder.property(properties[i], properties[i + 1]);
        }
        return builder.build();
    }

    private static List<List<RowData>> get(CompletableFuture<List<List<RowData>>> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    @Test
    void subtasksOfOneJobAndModelShareOnePool() throws Exception {
        ModelConfig config = shared("Pid");
        SharedWorkerPool first = SharedWorkerPool.acquire(config, job, group);
        SharedWorkerPool second = SharedWorkerPool.acquire(config, job, group);
        SharedWorkerPool otherJob = SharedWorkerPool.acquire(config, job + "-other", group);
        try {
            assertSame(first, second);
            assertNotSame(first, otherJob);
            assertEquals(false, first.vectorized());
            int pid = get(first.submit(Collections.singletonList(x(1)), metrics)).get(0).get(0).getInt(1);
            int samePid = get(second.submit(Collections.singletonList(x(2)), metrics)).get(0).get(0).getInt(1);
            assertEquals(pid, samePid);
        } finally {
            first.release();
            second.release();
            otherJob.release();
        }
    }

    /**
     * While a worker has two batches under way (its limit), submissions queue; they then go to
     * Python together as one batch, and each gets its own rows back.
     */
    @Test
    void submissionsWaitingTogetherGoAsOneBatch() throws Exception {
        SharedWorkerPool pool = SharedWorkerPool.acquire(shared("Batches", "sleep-ms", "1000"), job, group);
        try {
            CompletableFuture<List<List<RowData>>> a = pool.submit(Collections.singletonList(x(1)), metrics);
            awaitBatchesSent(1); // a is being predicted
            CompletableFuture<List<List<RowData>>> b = pool.submit(Collections.singletonList(x(2)), metrics);
            awaitBatchesSent(2); // b waits in the pipe
            CompletableFuture<List<List<RowData>>> c = pool.submit(Arrays.asList(x(3), x(4)), metrics);
            CompletableFuture<List<List<RowData>>> d = pool.submit(Collections.singletonList(x(5)), metrics);
            assertEquals(GenericRowData.of(1, 1), get(a).get(0).get(0));
            assertEquals(GenericRowData.of(2, 1), get(b).get(0).get(0));
            List<List<RowData>> cRows = get(c);
            assertEquals(2, cRows.size());
            assertEquals(GenericRowData.of(3, 3), cRows.get(0).get(0));
            assertEquals(GenericRowData.of(4, 3), cRows.get(1).get(0));
            assertEquals(GenericRowData.of(5, 3), get(d).get(0).get(0));
            assertEquals(5, group.count("model_inference.inference_requests_success"));
        } finally {
            pool.release();
        }
    }

    private void awaitBatchesSent(long batches) throws InterruptedException {
        awaitCount("model_inference.inference_batches", batches);
    }

    private void awaitCount(String counter, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (group.count(counter) < count) {
            assertTrue(System.nanoTime() < deadline, counter + " never reached " + count);
            Thread.sleep(5);
        }
        assertEquals(count, group.count(counter));
    }

    @Test
    void aDeadWorkerFailsEverySubmissionAndTheNextSubtaskStartsAFreshPool() throws Exception {
        ModelConfig config = shared("Batches", "exit-on", "7");
        SharedWorkerPool pool = SharedWorkerPool.acquire(config, job, group);
        SharedWorkerPool fresh = null;
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> get(pool.submit(Collections.singletonList(x(7)), metrics)));
            assertInstanceOf(PythonWorkerException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("exited with code 7"), e.getCause().getMessage());
            ExecutionException later = assertThrows(ExecutionException.class,
                    () -> get(pool.submit(Collections.singletonList(x(1)), metrics)));
            assertSame(e.getCause(), later.getCause());
            // The pool's thread counts a failed row just after failing its future.
            awaitCount("model_inference.inference_requests_failure", 2);

            fresh = SharedWorkerPool.acquire(config, job, group);
            assertNotSame(pool, fresh);
            assertEquals(GenericRowData.of(1, 1), get(fresh.submit(Collections.singletonList(x(1)), metrics)).get(0).get(0));
        } finally {
            pool.release();
            if (fresh != null) {
                fresh.release();
            }
        }
    }

    @Test
    void aModelThatCannotOpenFailsEveryoneJoiningAndIsTriedAgainLater() {
        ModelConfig config = shared("FailsToOpen");
        for (int attempt = 0; attempt < 2; attempt++) {
            PythonModelException e = assertThrows(PythonModelException.class,
                    () -> SharedWorkerPool.acquire(config, job, group));
            assertTrue(e.getMessage().contains("weights.bin is missing"), e.getMessage());
        }
    }

    @Test
    void theLastSubtaskToLeaveStopsTheWorkers() throws Exception {
        ModelConfig config = shared("Pid");
        SharedWorkerPool first = SharedWorkerPool.acquire(config, job, group);
        SharedWorkerPool second = SharedWorkerPool.acquire(config, job, group);
        long pid = get(first.submit(Collections.singletonList(x(1)), metrics)).get(0).get(0).getInt(1);
        ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
        first.release();
        assertTrue(worker.isAlive(), "the second subtask still uses it");
        second.release();
        worker.onExit().get(10, TimeUnit.SECONDS);
    }
}
