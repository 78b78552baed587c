package io.pyflinkml.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.FlinkRelease.Workaround;

import org.apache.flink.FlinkVersion;

import org.junit.jupiter.api.Test;

/**
 * The release rules. Each workaround's Flink behaviour is reproduced beside the class that
 * covers it (EpochSafeTimestampVectorTest, InputRowRepairTest, CachedFilesTest), which also
 * checks that the workaround is on in the release under test.
 */
class FlinkReleaseTest {

    private static final FlinkRelease V2_0 = new FlinkRelease("2.0", "2.0.0");
    private static final FlinkRelease V2_1 = new FlinkRelease("2.1", "2.1.3");
    private static final FlinkRelease V2_2 = new FlinkRelease("2.2", "2.2.1");
    private static final FlinkRelease V2_3 = new FlinkRelease("2.3", "2.3.0");

    @Test
    void theRunningReleaseIsTheOneOnTheClasspath() {
        assertTrue(FlinkRelease.RUNNING.version().startsWith(FlinkVersion.current().toString()),
                FlinkRelease.RUNNING.version());
        assertEquals("Flink " + FlinkRelease.RUNNING.version(), FlinkRelease.RUNNING.toString());
    }

    @Test
    void releasesAreOrderedByMajorThenMinor() {
        assertTrue(V2_2.before(2, 3));
        assertFalse(V2_2.before(2, 2));
        assertFalse(V2_3.before(2, 2));
        assertTrue(V2_3.before(3, 0));
        assertFalse(new FlinkRelease("3.0", "3.0.0").before(2, 9));
    }

    @Test
    void batchMlPredictCameWithFlink23() {
        assertFalse(V2_1.plansBatchMlPredict());
        assertFalse(V2_2.plansBatchMlPredict());
        assertTrue(V2_3.plansBatchMlPredict());
    }

    @Test
    void everyWorkaroundIsOnInEverySupportedReleaseAndNoEarlier() {
        for (Workaround workaround : Workaround.values()) {
            assertFalse(workaround.activeIn(V2_0), workaround.name());
            for (FlinkRelease release : new FlinkRelease[] {V2_1, V2_2, V2_3}) {
                assertTrue(workaround.activeIn(release), workaround + " in " + release);
            }
        }
    }
}
