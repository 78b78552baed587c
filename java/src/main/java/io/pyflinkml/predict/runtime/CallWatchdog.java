package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.transport.PythonTransport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Stops a Python worker whose call overruns its time limit, or whose calling thread Flink has
 * interrupted to cancel the task. A blocked pipe read ignores interrupts, so without this a hung
 * model would hang cancellation too (and a round trip made on the task thread would also keep
 * Flink's own async timeout from firing).
 */
final class CallWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallWatchdog.class);
    private static final long POLL_MS = 100;

    private final String name;
    private final PythonTransport transport;
    private final Thread thread;
    private volatile Thread caller;
    private volatile long deadlineNanos;
    private volatile Duration limit;
    private volatile String activity;
    private volatile String reason;
    private volatile boolean closed;

    CallWatchdog(String name, PythonTransport transport) {
        this.name = name;
        this.transport = transport;
        this.thread = new Thread(this::watch, "python-watchdog " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The current thread starts a call; {@code timeout} null means no time limit. */
    void begin(String what, Duration timeout) {
        activity = what;
        limit = timeout;
        deadlineNanos = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        caller = Thread.currentThread();
    }

    void end() {
        caller = null;
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
            Thread current = caller;
            if (current == null || reason != null) {
                continue;
            }
            if (current.isInterrupted()) {
                stop(String.format("The task was cancelled while %s", activity));
            } else if (System.nanoTime() - deadlineNanos > 0 && deadlineNanos != Long.MAX_VALUE) {
                stop(
                        String.format(
                                "%s %s took longer than the timeout of %s (the ML_PREDICT"
                                        + " 'timeout' or table.exec.async-ml-predict.timeout);"
                                        + " its Python worker was stopped",
                                name, activity, limit));
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
}
