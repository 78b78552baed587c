package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.metrics.InferenceMetrics;

import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.data.RowData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The Python workers that the subtasks of one model share in a TaskManager (worker-scope
 * 'taskmanager'): one pool per job and model options, started by the first subtask that needs
 * it and closed when the last one using it closes.
 *
 * <p>Subtasks submit their batches to one queue. Each worker has a sender, which takes the
 * oldest submissions waiting together (up to batch-size rows) and sends them as one batch, and
 * a receiver, which reads the answers in order and hands each submission its own rows; two
 * batches may be under way per worker, one predicted while the next waits. When a worker fails
 * (dies, hangs past the timeout, or its model fails a batch), the pool fails every submission
 * and refuses new ones, so every subtask using it fails and Flink restarts them; a restarted
 * subtask starts a new pool.
 */
final class SharedWorkerPool {

    private static final Map<String, SharedWorkerPool> POOLS = new HashMap<>(); // guarded by itself

    private final String key;
    private final ModelConfig config;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final LinkedBlockingDeque<Submission> queue = new LinkedBlockingDeque<>();
    private final Object drainLock = new Object();
    private final List<Worker> workers = new ArrayList<>();
    private int users; // guarded by POOLS
    private volatile boolean vectorized;
    private volatile Throwable failure;
    private volatile boolean closed;

    private SharedWorkerPool(String key, ModelConfig config) {
        this.key = key;
        this.config = config;
    }

    /**
     * Joins the pool of this job's model, starting it if there is none (or only a failed one),
     * and waits until its workers are open.
     */
    static SharedWorkerPool acquire(ModelConfig config, String job, MetricGroup subtaskGroup)
            throws Exception {
        String key = job + "\n" + config.sharingKey();
        SharedWorkerPool pool;
        boolean starter = false;
        synchronized (POOLS) {
            pool = POOLS.get(key);
            if (pool == null || pool.failure != null) {
                pool = new SharedWorkerPool(key, config);
                POOLS.put(key, pool);
                starter = true;
            }
            pool.users++;
        }
        try {
            if (starter) {
                pool.start(subtaskGroup, job);
            }
            pool.opened.get();
            return pool;
        } catch (ExecutionException e) {
            pool.release();
            Throwable cause = e.getCause();
            throw cause instanceof Exception ? (Exception) cause : new RuntimeException(cause);
        } catch (Throwable t) {
            pool.release();
            throw t;
        }
    }

    private void start(MetricGroup subtaskGroup, String job) throws Exception {
        int count = config.sharedWorkers();
        String restartKey = job + "/" + Integer.toHexString(key.hashCode());
        try {
            for (int i = 0; i < count; i++) {
                InferenceMetrics metrics =
                        InferenceMetrics.forSharedWorker(
                                subtaskGroup, config.describe(), restartKey, i);
                String name = i + "/" + count + PythonModelSession.SHARED_SUFFIX;
                workers.add(new Worker(i, PythonModelSession.open(config, name, metrics)));
            }
        } catch (Throwable t) {
            failure = t;
            opened.completeExceptionally(t);
            for (Worker worker : workers) {
                worker.session.close();
            }
            throw t;
        }
        vectorized = workers.get(0).session.vectorized();
        for (Worker worker : workers) {
            worker.sender.start();
            worker.receiver.start();
        }
        opened.complete(null);
    }

    /** Whether the class is vectorized (see {@link PythonModelSession#vectorized}). */
    boolean vectorized() {
        return vectorized;
    }

    /** Queues a subtask's batch; the future completes with each row's output rows. */
    CompletableFuture<List<List<RowData>>> submit(List<RowData> rows, InferenceMetrics metrics) {
        Submission submission = new Submission(rows, metrics);
        Throwable failed = failure;
        if (failed == null) {
            queue.add(submission);
            failed = failure;
            // fail() may have drained the queue before this was added: then fail it here.
            if (failed != null && queue.remove(submission)) {
                submission.fail(failed);
            }
        } else {
            submission.fail(failed);
        }
        return submission.result;
    }

    /** Leaves the pool; the last subtask to leave closes it. */
    void release() {
        boolean last;
        synchronized (POOLS) {
            last = --users == 0;
            if (last && POOLS.get(key) == this) {
                POOLS.remove(key);
            }
        }
        if (last) {
            close();
        }
    }

    /** The oldest submissions waiting together, up to batch-size rows (at least one). */
    private List<Submission> take() throws InterruptedException {
        synchronized (drainLock) {
            Submission first = queue.takeFirst();
            List<Submission> batch = new ArrayList<>();
            batch.add(first);
            int rows = first.rows.size();
            Submission next;
            while ((next = queue.pollFirst()) != null) {
                if (rows + next.rows.size() > config.batchSize()) {
                    queue.offerFirst(next);
                    break;
                }
                batch.add(next);
                rows += next.rows.size();
            }
            return batch;
        }
    }

    private void sendLoop(Worker worker) {
        List<Submission> batch = null;
        try {
            while (!closed) {
                worker.slots.acquire();
                batch = take();
                List<RowData> rows = new ArrayList<>();
                long now = System.nanoTime();
                for (Submission submission : batch) {
                    rows.addAll(submission.rows);
                    submission.sentNanos = now;
                    submission.metrics.sent(submission.rows.size());
                }
                // Queued first: if sending fails, fail() finds the batch there.
                worker.underway.add(batch);
                worker.session.send(rows);
                batch = null;
            }
        } catch (InterruptedException e) {
            // closing
        } catch (Throwable t) {
            fail(t);
            failAll(batch);
            failQueued(); // a submission a sender put back while fail() drained the queue
        }
    }

    private void receiveLoop(Worker worker) {
        List<Submission> batch = null;
        try {
            while (!closed) {
                batch = worker.underway.take();
                int size = 0;
                for (Submission submission : batch) {
                    size += submission.rows.size();
                }
                PythonModelSession.Answer answer = worker.session.receiveAnswer(size);
                worker.slots.release();
                hand(batch, answer);
                batch = null;
            }
        } catch (InterruptedException e) {
            // closing
        } catch (Throwable t) {
            fail(t);
            failAll(batch);
            failQueued(); // a submission a sender put back while fail() drained the queue
        }
    }

    /** Fails a batch a worker thread held when the pool failed (a no-op for those done). */
    private void failAll(List<Submission> batch) {
        if (batch != null) {
            for (Submission submission : batch) {
                submission.fail(failure);
            }
        }
    }

    /**
     * Gives each submission its rows and counts them in its subtask's metrics; the batch's
     * retries go to its first submission (Python reports them per batch).
     */
    private static void hand(List<Submission> batch, PythonModelSession.Answer answer) {
        long now = System.nanoTime();
        int offset = 0;
        for (Submission submission : batch) {
            int n = submission.rows.size();
            int skipped = 0;
            int produced = 0;
            for (int i = offset; i < offset + n; i++) {
                skipped += answer.counts[i] < 0 ? 1 : 0;
                produced += answer.rows.get(i).size();
            }
            submission.metrics.answered(
                    now - submission.sentNanos,
                    n - skipped,
                    skipped,
                    produced,
                    offset == 0 ? answer.retries : 0);
            submission.result.complete(answer.rows.subList(offset, offset + n));
            offset += n;
        }
    }

    /**
     * Fails the pool: every submission waiting or under way, and every one to come; then
     * stops the workers, whose answers cannot save the subtasks now.
     */
    private void fail(Throwable t) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = t;
        }
        failQueued();
        for (Worker worker : workers) {
            for (List<Submission> batch; (batch = worker.underway.poll()) != null; ) {
                failAll(batch);
            }
        }
        for (Worker worker : workers) {
            worker.session.stopPython();
        }
    }

    private void failQueued() {
        for (Submission submission; (submission = queue.pollFirst()) != null; ) {
            submission.fail(failure);
        }
    }

    /** Stops the workers (their Python close() runs), then their threads. */
    private void close() {
        closed = true;
        for (Worker worker : workers) {
            worker.sender.interrupt();
            worker.receiver.interrupt();
            worker.session.stopPython();
        }
        for (Worker worker : workers) {
            try {
                worker.sender.join(10_000);
                worker.receiver.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker.session.close();
        }
        Throwable reason =
                failure != null ? failure : new IllegalStateException("shared workers closed");
        for (Submission submission; (submission = queue.pollFirst()) != null; ) {
            submission.fail(reason);
        }
    }

    private final class Worker {
        final PythonModelSession session;
        // At most two batches under way: one predicted, the next waiting in the pipe.
        final Semaphore slots = new Semaphore(2);
        final BlockingQueue<List<Submission>> underway = new LinkedBlockingQueue<>();
        final Thread sender;
        final Thread receiver;

        Worker(int index, PythonModelSession session) {
            this.session = session;
            String name = config.describe() + " shared worker " + index;
            sender = daemon(() -> sendLoop(this), "python-sender " + name);
            receiver = daemon(() -> receiveLoop(this), "python-receiver " + name);
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One subtask's batch in the pool. */
    private static final class Submission {
        final List<RowData> rows;
        final InferenceMetrics metrics;
        final CompletableFuture<List<List<RowData>>> result = new CompletableFuture<>();
        long sentNanos;

        Submission(List<RowData> rows, InferenceMetrics metrics) {
            this.rows = rows;
            this.metrics = metrics;
        }

        void fail(Throwable t) {
            if (result.completeExceptionally(t)) {
                metrics.failed(rows.size());
            }
        }
    }
}
