package io.pyflinkml.predict.transport;

import java.io.IOException;

/**
 * A short busy wait before a blocking wait for Python's answer. Python answers a small batch in
 * tens of microseconds; a thread blocked in the meantime must be woken by Python's side, which
 * costs Python several microseconds per batch (more in a virtual machine), on the side that is
 * usually the bottleneck. Spinning for a moment on the otherwise idle waiting thread saves it.
 */
final class Spin {

    /** Longest spin; past it, the caller blocks as usual. */
    static final long MAX_NANOS = 50_000;

    interface Condition {
        boolean holds() throws IOException;
    }

    private Spin() {}

    static void until(Condition condition) throws IOException {
        long start = System.nanoTime();
        while (!condition.holds() && System.nanoTime() - start < MAX_NANOS) {
            Thread.onSpinWait();
        }
    }
}
