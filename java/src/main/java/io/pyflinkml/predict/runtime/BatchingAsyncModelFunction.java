package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.deploy.ModelDeployment;
import io.pyflinkml.predict.metrics.InferenceMetrics;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * ML_PREDICT's default path: rows are gathered into batches, and the JVM gathers and sends the
 * next batch while Python predicts the one before, so both work at once.
 *
 * <p>A batch is sent when it holds {@code batch-size} rows or half the in-flight cap (whichever
 * is smaller: the cap then holds one batch being predicted and one filling), when the rows in
 * flight reach the cap, or when its first row has waited {@code batch-timeout}. A vectorized
 * class pays a large fixed cost per call, so for it half batches would cost more than the overlap
 * saves: while half the cap is small, its batches fill up to the cap. Answers come back
 * in the order batches were sent. Whoever needs an answer collects it: the task thread when the
 * operator can take no more rows (it would only wait), the timer's thread for a batch it sent,
 * and otherwise a collector for batches still unanswered {@link #COLLECT_AFTER_NANOS} after they
 * were sent (the input paused). Each row's future completes with its own output rows.
 */
public class BatchingAsyncModelFunction extends AsyncPredictFunction {

    private static final long serialVersionUID = 1L;
    private static final TimeUnit NANOS = TimeUnit.NANOSECONDS;

    /** How long the task thread has to collect an answer before another thread does it. */
    static final long COLLECT_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** The smallest half batch worth pipelining for a vectorized class. */
    static final int MIN_VECTORIZED_HALF = 64;

    private final ModelConfig config;

    private transient int flushSize;
    private transient InputCoercion inputCoercion;
    private transient RowDataSerializer inputCopier;
    private transient ModelDeployment.Opened deployed; // the model directory and Python set-up
    private transient PythonModelSession session; // the subtask's own worker, or
    private transient SharedWorkerPool shared; // the TaskManager's shared workers
    private transient InferenceMetrics metrics;
    private transient ExecutorService caller;
    // Collects late answers on a thread of its own: a send blocked on a full pipe to a worker
    // that is itself blocked writing an unread answer must never wait for this thread.
    private transient ExecutorService collector;
    private transient ScheduledExecutorService timer;
    // Guards buffer, bufferSince, flushScheduled and inFlight.
    private transient Object lock;
    private transient List<Pending> buffer;
    private transient long bufferSince;
    private transient boolean flushScheduled;
    private transient int inFlight;
    // Sending a batch and queueing it as unanswered happen together under sendLock, so the
    // queue's order is the order of the answers.
    private transient Object sendLock;
    private transient Queue<Batch> unanswered;
    private transient ReentrantLock receiveLock;
    private transient AtomicBoolean collectorScheduled;
    private transient volatile Throwable failure;

    public BatchingAsyncModelFunction(ModelConfig config) {
        this.config = config;
    }

    /**
     * Rows per batch: batch-size, or half the cap so that one batch fills while one is predicted.
     * A vectorized class pays a large fixed cost per call (often a millisecond), which a small
     * half batch would pay twice for little overlap: below {@link #MIN_VECTORIZED_HALF} rows its
     * batches take the whole cap.
     */
    static int flushSize(int batchSize, int maxInFlight, boolean vectorized) {
        int half = (maxInFlight + 1) / 2;
        int cap = vectorized && half < MIN_VECTORIZED_HALF ? maxInFlight : half;
        return Math.max(1, Math.min(batchSize, cap));
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        String subtask = TaskContext.subtask(context);
        inputCoercion = new InputCoercion(config.inputType());
        inputCopier = new RowDataSerializer(config.inputType());
        lock = new Object();
        buffer = new ArrayList<>();
        sendLock = new Object();
        unanswered = new ConcurrentLinkedQueue<>();
        receiveLock = new ReentrantLock();
        collectorScheduled = new AtomicBoolean();
        metrics = InferenceMetrics.forSubtask(TaskContext.metricGroup(context), config.describe());
        deployed = TaskContext.deploy(context, config);
        ModelConfig local = TaskContext.localized(config, deployed);
        shared = TaskContext.sharedWorkers(context, local, metrics);
        if (shared == null) {
            session = PythonModelSession.open(local, subtask, metrics);
        }
        boolean vectorized = shared != null ? shared.vectorized() : session.vectorized();
        flushSize = flushSize(config.batchSize(), config.maxInFlight(), vectorized);
        caller = Executors.newSingleThreadExecutor(daemon("python-caller " + subtask));
        collector = Executors.newSingleThreadExecutor(daemon("python-collector " + subtask));
        timer = Executors.newSingleThreadScheduledExecutor(daemon("batch-timer " + subtask));
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncPredict(RowData inputRow) {
        CompletableFuture<Collection<RowData>> result = new CompletableFuture<>();
        Pending pending = new Pending(inputCopier.copy(inputCoercion.apply(inputRow)), result);
        List<Pending> batch = null;
        boolean atCap;
        synchronized (lock) {
            buffer.add(pending);
            inFlight++;
            atCap = inFlight >= config.maxInFlight();
            if (atCap || buffer.size() >= flushSize) {
                batch = takeBufferLocked();
            } else if (buffer.size() == 1) {
                bufferSince = System.nanoTime();
                if (!flushScheduled) {
                    flushScheduled = true;
                    timer.schedule(this::flushIfDue, config.batchTimeout().toNanos(), NANOS);
                }
            }
        }
        if (batch != null) {
            send(batch);
        }
        if (atCap && shared == null) {
            // The operator takes no more rows until some complete: collect the oldest answer
            // here rather than wait for another thread to hand it over.
            receiveLock.lock();
            try {
                while (inFlight() >= config.maxInFlight() && collectOne()) {}
            } finally {
                releaseReceive();
            }
        }
        return result;
    }

    private int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    private List<Pending> takeBufferLocked() {
        List<Pending> batch = buffer;
        buffer = new ArrayList<>(flushSize);
        return batch;
    }

    /**
     * The batch timeout (one timer task at a time, not one per batch): rows waiting that long
     * go now, and their answer is awaited; a younger buffer is looked at again when it is due.
     */
    private void flushIfDue() {
        List<Pending> batch = null;
        synchronized (lock) {
            long waited = System.nanoTime() - bufferSince;
            long timeout = config.batchTimeout().toNanos();
            flushScheduled = false;
            if (!buffer.isEmpty()) {
                if (waited >= timeout) {
                    batch = takeBufferLocked();
                } else {
                    flushScheduled = true;
                    timer.schedule(this::flushIfDue, timeout - waited, NANOS);
                }
            }
        }
        if (batch != null) {
            List<Pending> due = batch;
            caller.execute(
                    () -> {
                        send(due);
                        if (shared == null) {
                            collect(false);
                        }
                    });
        }
    }

    private void send(List<Pending> pending) {
        if (shared != null) {
            submit(pending);
            return;
        }
        synchronized (sendLock) {
            Throwable failed = failure;
            if (failed == null) {
                List<RowData> rows = new ArrayList<>(pending.size());
                for (Pending p : pending) {
                    rows.add(p.row);
                }
                try {
                    session.send(rows);
                    unanswered.add(new Batch(pending, System.nanoTime()));
                } catch (Throwable t) {
                    failure = failed = t;
                }
            }
            if (failed != null) {
                fail(pending, failed);
                return;
            }
        }
        scheduleCollector();
    }

    /** To the shared workers, which answer on their own thread. */
    private void submit(List<Pending> pending) {
        List<RowData> rows = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            rows.add(p.row);
        }
        shared.submit(rows, metrics)
                .whenComplete(
                        (results, error) -> {
                            if (error != null) {
                                fail(pending, error);
                                return;
                            }
                            synchronized (lock) {
                                inFlight -= pending.size();
                            }
                            for (int i = 0; i < results.size(); i++) {
                                pending.get(i).result.complete(results.get(i));
                            }
                        });
    }

    private void scheduleCollector() {
        if (collectorScheduled.compareAndSet(false, true)) {
            try {
                timer.schedule(
                        () -> collector.execute(this::collectLate), COLLECT_AFTER_NANOS, NANOS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                collectorScheduled.set(false); // closing
            }
        }
    }

    /**
     * Collects the answers that nobody collected in time. While another thread is receiving it
     * steps aside: that thread schedules the collector again when it is done.
     */
    private void collectLate() {
        collectorScheduled.set(false);
        if (receiveLock.tryLock()) {
            try {
                collect(true);
            } finally {
                releaseReceive();
            }
        }
    }

    /** Collects every unanswered batch, or only those sent long enough ago. */
    private void collect(boolean onlyLate) {
        receiveLock.lock();
        try {
            Batch oldest;
            while ((oldest = unanswered.peek()) != null
                    && (!onlyLate || System.nanoTime() - oldest.sentNanos >= COLLECT_AFTER_NANOS)
                    && collectOne()) {}
        } finally {
            releaseReceive();
        }
    }

    /** Unlocks receiving; a batch still unanswered then gets the collector. */
    private void releaseReceive() {
        receiveLock.unlock();
        if (!unanswered.isEmpty()) {
            scheduleCollector();
        }
    }

    /**
     * Receives the oldest batch's answer and completes its rows' futures; false when none was
     * unanswered or Python failed (which fails every unanswered row). Holds receiveLock.
     */
    private boolean collectOne() {
        Batch batch = unanswered.peek();
        if (batch == null) {
            return false;
        }
        List<List<RowData>> results;
        try {
            results = session.receive(batch.pending.size());
        } catch (Throwable t) {
            failure = t;
            for (Batch lost; (lost = unanswered.poll()) != null; ) {
                fail(lost.pending, t);
            }
            return false;
        }
        unanswered.poll();
        synchronized (lock) {
            inFlight -= batch.pending.size();
        }
        for (int i = 0; i < results.size(); i++) {
            batch.pending.get(i).result.complete(results.get(i));
        }
        return true;
    }

    private void fail(List<Pending> pending, Throwable t) {
        synchronized (lock) {
            inFlight -= pending.size();
        }
        for (Pending p : pending) {
            p.result.completeExceptionally(t);
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
        if (collector != null) {
            collector.shutdownNow();
        }
        if (session != null) {
            session.stopPython();
        }
        try {
            for (ExecutorService thread : new ExecutorService[] {caller, collector}) {
                if (thread != null && !thread.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(
                            "Python caller threads did not stop for " + config.describe());
                }
            }
        } finally {
            try {
                TaskContext.closeInOrder(session, shared, deployed, config);
            } finally {
                session = null;
                shared = null;
                deployed = null;
            }
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

    /** A sent batch awaiting its answer. */
    private static final class Batch {
        final List<Pending> pending;
        final long sentNanos;

        Batch(List<Pending> pending, long sentNanos) {
            this.pending = pending;
            this.sentNanos = sentNanos;
        }
    }
}
