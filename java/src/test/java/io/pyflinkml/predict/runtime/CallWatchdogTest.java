package io.pyflinkml.predict.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.transport.PythonTransport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

class CallWatchdogTest {

    /** A transport that only records being killed (the watchdog's one way to stop a worker). */
    private static final class KillRecorder implements PythonTransport {
        final CountDownLatch killed = new CountDownLatch(1);

        @Override
        public void send(byte[] request) {}

        @Override
        public byte[] receive() {
            return new byte[0];
        }

        @Override
        public void kill() {
            killed.countDown();
        }

        @Override
        public void close() {}

        boolean killedWithin(long millis) throws InterruptedException {
            return killed.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    private final KillRecorder transport = new KillRecorder();
    private final CallWatchdog watchdog = new CallWatchdog("model 'm' subtask 0/1", transport);

    @AfterEach
    void close() {
        watchdog.close();
    }

    @Test
    void anOverdueRequestStopsTheWorkerAndSaysWhy() throws Exception {
        watchdog.sent("predicting a batch of 3 rows", Duration.ofMillis(50));
        assertTrue(transport.killedWithin(5000));
        assertEquals(
                "model 'm' subtask 0/1 predicting a batch of 3 rows took longer than the timeout of"
                        + " 50 ms (the ML_PREDICT 'timeout' or table.exec.async-ml-predict.timeout);"
                        + " its Python worker was stopped",
                watchdog.reason());
    }

    @Test
    void anAnsweredRequestIsNotOverdue() throws Exception {
        watchdog.sent("predicting a batch of 1 rows", Duration.ofMillis(50));
        watchdog.answered();
        assertTrue(!transport.killedWithin(400));
        assertNull(watchdog.reason());
    }

    @Test
    void withoutATimeoutARequestMayTakeAnyTime() throws Exception {
        watchdog.sent("opening the model", null);
        assertTrue(!transport.killedWithin(400));
    }

    /** Only the oldest request counts: answers come in order, so it is the one under way. */
    @Test
    void theOldestUnansweredRequestIsTheOneTimed() throws Exception {
        watchdog.sent("first", Duration.ofMinutes(1));
        watchdog.sent("second", Duration.ofMillis(1));
        assertTrue(!transport.killedWithin(400), "the second is not under way yet");
        watchdog.answered();
        assertTrue(transport.killedWithin(5000));
        assertTrue(watchdog.reason().contains("second took longer"), watchdog.reason());
    }

    /** A blocked pipe read ignores interrupts: cancellation must stop the worker instead. */
    @Test
    void aCancelledTaskBlockedOnTheWorkerStopsIt() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        Thread task = new Thread(() -> {
            watchdog.sent("predicting a batch of 2 rows", null);
            watchdog.blocking();
            blocked.countDown();
            while (transport.killed.getCount() > 0) {
                Thread.onSpinWait(); // as a read that ignores the interrupt
            }
            watchdog.unblocked();
        });
        task.start();
        blocked.await();
        task.interrupt();
        assertTrue(transport.killedWithin(5000));
        assertEquals("The task was cancelled while predicting a batch of 2 rows", watchdog.reason());
        task.join(5000);
    }
}
