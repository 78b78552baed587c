package io.pyflinkml.predict.runtime;

import static io.pyflinkml.predict.runtime.PythonWorkers.x;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.TestModels;
import io.pyflinkml.predict.arrow.ArrowRows;
import io.pyflinkml.predict.arrow.TypeMatrix;
import io.pyflinkml.predict.transport.PythonWorkerException;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The async function against a real Python worker serving junit_models.Batches. */
@Timeout(60)
class BatchingAsyncModelFunctionTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private BatchingAsyncModelFunction function;

    private BatchingAsyncModelFunction open(ModelConfig config) throws Exception {
        function = new BatchingAsyncModelFunction(config);
        function.open(PythonWorkers.outsideTask());
        return function;
    }

    @AfterEach
    void close() throws Exception {
        if (function != null) {
            function.close();
        }
    }

    private List<CompletableFuture<Collection<RowData>>> predict(int... xs) {
        List<CompletableFuture<Collection<RowData>>> futures = new ArrayList<>();
        for (int value : xs) {
            futures.add(function.asyncPredict(x(value)));
        }
        return futures;
    }

    private static RowData only(CompletableFuture<Collection<RowData>> future) throws Exception {
        Collection<RowData> rows = future.get(20, TimeUnit.SECONDS);
        assertEquals(1, rows.size());
        return rows.iterator().next();
    }

    private static Throwable failure(CompletableFuture<Collection<RowData>> future) {
        return assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void aBatchIsHalfTheCapOrBatchSizeAndTheWholeCapForAVectorizedClass() {
        assertEquals(5, BatchingAsyncModelFunction.flushSize(256, 10, false));
        assertEquals(8, BatchingAsyncModelFunction.flushSize(8, 100, false));
        assertEquals(10, BatchingAsyncModelFunction.flushSize(256, 10, true));
        assertEquals(64, BatchingAsyncModelFunction.flushSize(256, 128, true));
        assertEquals(1, BatchingAsyncModelFunction.flushSize(256, 1, false));
    }

    @Test
    void fullBatchesGoAtOnceAndEachRowGetsItsOwnAnswer() throws Exception {
        open(PythonWorkers.model("Batches").batchSize(4).maxInFlight(100).batchTimeout(LONG).build());
        List<CompletableFuture<Collection<RowData>>> futures = predict(0, 1, 2, 3, 4, 5, 6, 7);
        for (int i = 0; i < futures.size(); i++) {
            assertEquals(GenericRowData.of(i, 4), only(futures.get(i)));
        }
    }

    @Test
    void aBatchThatDoesNotFillGoesAfterTheBatchTimeout() throws Exception {
        open(PythonWorkers.model("Batches").batchSize(100).maxInFlight(100)
                .batchTimeout(Duration.ofMillis(1000)).build());
        long start = System.nanoTime();
        List<CompletableFuture<Collection<RowData>>> futures = predict(1, 2, 3);
        Thread.sleep(100);
        assertFalse(futures.get(0).isDone(), "the batch waits for more rows");
        assertEquals(GenericRowData.of(3, 3), only(futures.get(2)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1000));
    }

    /**
     * At the cap (4 rows in flight) the operator takes no more rows, so the call that reaches it
     * collects the oldest answer itself: its earlier rows are answered when it returns.
     */
    @Test
    void theCallThatReachesTheCapCollectsTheOldestAnswer() throws Exception {
        open(PythonWorkers.model("Batches").batchSize(100).maxInFlight(4).batchTimeout(LONG).build());
        List<CompletableFuture<Collection<RowData>>> futures = predict(1, 2, 3, 4);
        assertTrue(futures.get(0).isDone() && futures.get(1).isDone());
        for (int i = 0; i < 4; i++) {
            assertEquals(GenericRowData.of(i + 1, 2), only(futures.get(i)), "half the cap per batch");
        }
    }

    @Test
    void aFailingBatchFailsItsRowsAndEveryLaterOneUnderFailover() throws Exception {
        open(PythonWorkers.model("Batches").batchSize(2).maxInFlight(100).batchTimeout(LONG).build());
        List<CompletableFuture<Collection<RowData>>> futures = predict(1, -1);
        Throwable error = failure(futures.get(1));
        assertInstanceOf(PythonModelException.class, error);
        assertTrue(error.getMessage().contains("negative x -1"), error.getMessage());
        assertEquals(error, failure(futures.get(0)));
        List<CompletableFuture<Collection<RowData>>> later = predict(5, 6);
        assertEquals(error, failure(later.get(1)), "the job fails over: no row is predicted again");
    }

    @Test
    void anIgnoredRowGetsItsErrorAndTheOthersTheirResults() throws Exception {
        open(PythonWorkers.model("Batches").output("x INT, batch INT, `error-string` STRING")
                .errorHandling(TestModels.ignore())
                .batchSize(3).maxInFlight(100).batchTimeout(LONG).build());
        List<CompletableFuture<Collection<RowData>>> futures = predict(1, -2, 3);
        // The failing batch is re-run row by row.
        assertEquals(GenericRowData.of(1, 1, null), only(futures.get(0)));
        RowData skipped = only(futures.get(1));
        assertTrue(skipped.isNullAt(0) && skipped.isNullAt(1));
        assertTrue(skipped.getString(2).toString().contains("ValueError: negative x -2"),
                skipped.getString(2).toString());
        assertEquals(GenericRowData.of(3, 1, null), only(futures.get(2)));
    }

    @Test
    void aBatchPastTheTimeoutStopsItsWorkerAndFailsWithTheReason() throws Exception {
        open(PythonWorkers.model("Batches").property("sleep-ms", "20000")
                .timeout(Duration.ofMillis(300)).batchSize(1).maxInFlight(100).build());
        long start = System.nanoTime();
        Throwable error = failure(function.asyncPredict(x(1)));
        assertInstanceOf(PythonModelException.class, error);
        assertTrue(error.getMessage().contains(
                "predicting a batch of 1 rows took longer than the timeout of 300 ms"), error.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "the worker was stopped");
    }

    @Test
    void aWorkerThatDiesFailsTheRowsWithItsExitCodeAndLastWords() throws Exception {
        open(PythonWorkers.model("Batches").property("exit-on", "7").batchSize(1).maxInFlight(100).build());
        Throwable error = failure(function.asyncPredict(x(7)));
        assertInstanceOf(PythonWorkerException.class, error);
        assertTrue(error.getMessage().contains("exited with code 7"), error.getMessage());
        assertTrue(error.getMessage().contains("Batches: exiting with code 7"), error.getMessage());
    }

    @Test
    void closeStopsTheWorkerProcess() throws Exception {
        open(PythonWorkers.model("Pid").output("x INT, pid INT").batchSize(1).maxInFlight(100).build());
        long pid = only(function.asyncPredict(x(1))).getInt(1);
        ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
        assertTrue(worker.isAlive());
        function.close();
        function = null;
        worker.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(worker.isAlive());
    }

    @Test
    void closeWithABatchUnderWayStopsPythonAndReturns() throws Exception {
        open(PythonWorkers.model("Batches").property("sleep-ms", "2000").batchSize(1).maxInFlight(100).build());
        function.asyncPredict(x(1));
        Thread.sleep(200); // Python is predicting it
        long start = System.nanoTime();
        function.close();
        function = null;
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void aModelThatCannotOpenFailsOpenWithThePythonError() {
        BatchingAsyncModelFunction failing = new BatchingAsyncModelFunction(
                PythonWorkers.model("FailsToOpen").build());
        PythonModelException e = assertThrows(PythonModelException.class,
                () -> failing.open(PythonWorkers.outsideTask()));
        assertTrue(e.getMessage().contains("weights.bin is missing"), e.getMessage());
    }

    /** Uncast descriptor values (here BIGINT for an INT column) reach Python as the INPUT type. */
    @Test
    void inputValuesAreBroughtToTheInputTypesBeforeTheyAreSent() throws Exception {
        open(PythonWorkers.model("Batches").batchSize(1).maxInFlight(100).build());
        assertEquals(GenericRowData.of(9, 1), only(function.asyncPredict(GenericRowData.of(9L))));
    }

    @Test
    void inputRowsAreCopiedSoTheOperatorMayReuseThem() throws Exception {
        open(PythonWorkers.model("Batches").batchSize(2).maxInFlight(100).batchTimeout(LONG).build());
        GenericRowData reused = GenericRowData.of(1);
        CompletableFuture<Collection<RowData>> first = function.asyncPredict(reused);
        reused.setField(0, 2);
        CompletableFuture<Collection<RowData>> second = function.asyncPredict(reused);
        assertEquals(GenericRowData.of(1, 2), only(first));
        assertEquals(GenericRowData.of(2, 2), only(second));
    }

    /** Arrow in, Python values, Arrow out: every type of the codec test, through Python. */
    @Test
    void everyTypeTravelsThroughPythonAndBack() throws Exception {
        RowType type = TypeMatrix.rowType();
        open(TestModels.model("junit_models.Echo").directory(PythonWorkers.modelDirectory())
                .input(type).output(type).launch(PythonWorkers.launch())
                .batchSize(100).maxInFlight(100).batchTimeout(Duration.ofMillis(1)).build());
        ArrowRows convert = new ArrowRows(type);
        List<Row> rows = TypeMatrix.rows();
        List<CompletableFuture<Collection<RowData>>> futures = new ArrayList<>();
        for (RowData row : convert.internal(rows)) {
            futures.add(function.asyncPredict(row));
        }
        List<RowData> answers = new ArrayList<>();
        for (CompletableFuture<Collection<RowData>> future : futures) {
            answers.add(only(future));
        }
        ArrowRows.assertSameRows(rows, convert.external(answers));
    }
}
