package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.transport.PythonTransport;

import org.apache.flink.util.TimeUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stops a Python worker whose oldest unanswered request overruns its time limit, or while a
 * thread blocked on the worker has been interrupted by Flink to cancel the task. A blocked pipe
 * read or write ignores interrupts, so without this a hung model would hang cancellation too (and
 * a round trip made on the task thread would also keep Flink's own async timeout from firing).
 */
final class CallWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallWatchdog.class);
    private static final long POLL_MS = 100;

    private final String name;
    private final PythonTransport transport;
    private final Thread thread;
    private final Deque<Request> requests = new ArrayDeque<>();
    private volatile Thread blocked;
    private volatile String reason;
    private volatile boolean closed;

    CallWatchdog(String name, PythonTransport transport) {
        this.name = name;
        this.transport = transport;
        this.thread = new Thread(this::watch, "python-watchdog " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A request was sent; {@code timeout} null means no time limit. */
    void sent(String activity, Duration timeout) {
        synchronized (requests) {
            requests.addLast(new Request(activity, timeout));
        }
    }

    /** The oldest request was answered. */
    void answered() {
        synchronized (requests) {
            requests.pollFirst();
        }
    }

    /** The current thread blocks on the worker (a pipe read or write) until {@link #unblocked}. */
    void blocking() {
        blocked = Thread.currentThread();
    }

    void unblocked() {
        blocked = null;
    }

    /** Why the worker was stopped, or null if the watchdog never stepped in. */
    String reason() {
        return reason;
    }

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (reason != null) {
                continue;
            }
            Request oldest;
            synchronized (requests) {
                oldest = requests.peekFirst();
            }
            if (oldest == null) {
                continue;
            }
            Thread current = blocked;
            if (current != null && current.isInterrupted()) {
                stop(String.format("The task was cancelled while %s", oldest.activity));
            } else if (oldest.overdue()) {
                stop(
                        String.format(
                                "%s %s took longer than the timeout of %s (the ML_PREDICT"
                                        + " 'timeout' or table.exec.async-ml-predict.timeout);"
                                        + " its Python worker was stopped",
                                name,
                                oldest.activity,
                                TimeUtils.formatWithHighestUnit(oldest.limit)));
            }
        }
    }

    private void stop(String why) {
        reason = why;
        LOG.warn("{}: stopping the Python worker", why);
        transport.kill();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private static final class Request {
        final String activity;
        final Duration limit;
        final long deadlineNanos;

        Request(String activity, Duration limit) {
            this.activity = activity;
            this.limit = limit;
            this.deadlineNanos = limit == null ? 0 : System.nanoTime() + limit.toNanos();
        }

        boolean overdue() {
            return limit != null && System.nanoTime() - deadlineNanos > 0;
        }
    }
}
