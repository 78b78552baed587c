package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.ModelConfig;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * ML_PREDICT's default path: rows are gathered into batches and each batch is one Python round
 * trip. A batch is sent when it reaches {@code batch-size}, when the rows in flight reach the
 * planner's async cap (no more rows can arrive until some complete), or when its first row has
 * waited {@code batch-timeout}. Results complete each row's future in input order.
 */
public class PythonAsyncPredictFunction extends AsyncPredictFunction {

    private static final long serialVersionUID = 1L;

    private final ModelConfig config;

    private transient InputCoercion inputCoercion;
    private transient RowDataSerializer inputCopier;
    private transient PythonModelSession session;
    private transient ExecutorService caller;
    private transient ScheduledExecutorService timer;
    private transient Object lock;
    private transient List<Pending> buffer;
    private transient int inFlight;
    private transient int batchesQueued;
    private transient long batchesSent;

    public PythonAsyncPredictFunction(ModelConfig config) {
        this.config = config;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        String subtask = SubtaskNames.of(context);
        inputCoercion = new InputCoercion(config.inputType());
        inputCopier = new RowDataSerializer(config.inputType());
        lock = new Object();
        buffer = new ArrayList<>();
        session = PythonModelSession.open(config, subtask);
        caller = Executors.newSingleThreadExecutor(daemon("python-caller " + subtask));
        timer = Executors.newSingleThreadScheduledExecutor(daemon("batch-timer " + subtask));
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncPredict(RowData inputRow) {
        CompletableFuture<Collection<RowData>> result = new CompletableFuture<>();
        Pending pending = new Pending(inputCopier.copy(inputCoercion.apply(inputRow)), result);
        List<Pending> inline = null;
        synchronized (lock) {
            buffer.add(pending);
            inFlight++;
            if (inFlight >= config.maxInFlight() && batchesQueued == 0) {
                // The operator can take no more rows until some complete: the task thread
                // would only wait, so it makes the round trip itself and saves two thread hops.
                inline = takeBufferLocked();
            } else if (buffer.size() >= config.batchSize() || inFlight >= config.maxInFlight()) {
                sendLocked();
            } else if (buffer.size() == 1) {
                long batch = batchesSent;
                timer.schedule(
                        () -> sendIfStill(batch),
                        config.batchTimeout().toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        }
        if (inline != null) {
            run(inline);
        }
        return result;
    }

    private void sendIfStill(long batch) {
        synchronized (lock) {
            if (batchesSent == batch && !buffer.isEmpty()) {
                sendLocked();
            }
        }
    }

    private List<Pending> takeBufferLocked() {
        List<Pending> batch = buffer;
        buffer = new ArrayList<>();
        batchesSent++;
        return batch;
    }

    private void sendLocked() {
        List<Pending> batch = takeBufferLocked();
        batchesQueued++;
        caller.execute(
                () -> {
                    try {
                        run(batch);
                    } finally {
                        synchronized (lock) {
                            batchesQueued--;
                        }
                    }
                });
    }

    /**
     * One round trip, then each row's future, in order. Runs on the caller thread, or inline on
     * the task thread when nothing is queued for the caller; the session is used by one thread
     * at a time.
     */
    private void run(List<Pending> batch) {
        List<RowData> rows = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            rows.add(pending.row);
        }
        try {
            List<List<RowData>> results;
            synchronized (session) {
                results = session.predict(rows);
            }
            synchronized (lock) {
                inFlight -= batch.size();
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result.complete(results.get(i));
            }
        } catch (Throwable t) {
            synchronized (lock) {
                inFlight -= batch.size();
            }
            for (Pending pending : batch) {
                pending.result.completeExceptionally(t);
            }
        }
    }

    /** Stops Python first, which also ends a round trip under way, then the threads, then Arrow. */
    @Override
    public void close() throws Exception {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (caller != null) {
            caller.shutdownNow();
        }
        if (session != null) {
            session.stopPython();
        }
        if (caller != null && !caller.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Python caller thread did not stop for " + config.describe());
        }
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static final class Pending {
        final RowData row;
        final CompletableFuture<Collection<RowData>> result;

        Pending(RowData row, CompletableFuture<Collection<RowData>> result) {
            this.row = row;
            this.result = result;
        }
    }
}
