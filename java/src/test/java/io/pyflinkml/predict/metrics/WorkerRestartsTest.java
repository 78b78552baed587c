package io.pyflinkml.predict.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WorkerRestartsTest {

    @Test
    void aSubtaskIsKeyedByJobOperatorAndIndexASharedWorkerByJobAndSharing() {
        RecordingMetricGroup group = RecordingMetricGroup.inTask("j", "op", 4);
        assertEquals("j/op/4", WorkerRestarts.key(group, null));
        assertEquals("j/shared/key/0", WorkerRestarts.key(group, "key/0"));
        assertNull(WorkerRestarts.key(new RecordingMetricGroup(), null));
    }

    @Test
    void crashesAreCountedPerKey() {
        String key = "crashes-" + System.nanoTime();
        assertEquals(0, WorkerRestarts.crashesBefore(key));
        WorkerRestarts.crashed(key);
        WorkerRestarts.crashed(key);
        WorkerRestarts.crashed(null);
        assertEquals(2, WorkerRestarts.crashesBefore(key));
        assertEquals(0, WorkerRestarts.crashesBefore(null));
    }
}
