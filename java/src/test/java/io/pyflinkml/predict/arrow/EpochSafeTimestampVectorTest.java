package io.pyflinkml.predict.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.FlinkRelease;

import org.apache.flink.api.python.shaded.org.apache.arrow.memory.BufferAllocator;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampSecVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampVector;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.arrow.ArrowUtils;
import org.apache.flink.table.runtime.arrow.vectors.ArrowTimestampColumnVector;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

class EpochSafeTimestampVectorTest {

    private final BufferAllocator allocator =
            ArrowUtils.getRootAllocator().newChildAllocator("test", 0, Long.MAX_VALUE);

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    /** A vector holding {@code value} at 0 and NULL at 1. */
    private static <V extends TimeStampVector> V filled(V vector, long value) {
        vector.allocateNew(2);
        vector.set(0, value);
        vector.setNull(1);
        vector.setValueCount(2);
        return vector;
    }

    @Test
    void oneNanosecondBeforeTheEpochIsReadAsSuch() {
        try (TimeStampNanoVector nanos = filled(new TimeStampNanoVector("v", allocator), -1)) {
            EpochSafeTimestampVector vector = new EpochSafeTimestampVector(nanos);
            assertEquals(
                    LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_999),
                    vector.getTimestamp(0, 9).toLocalDateTime());
            assertFalse(vector.isNullAt(0));
            assertTrue(vector.isNullAt(1));
        }
    }

    @Test
    void microsecondsBeforeTheEpochKeepTheirFraction() {
        long value = -1_500_001; // -1.500001 s
        try (TimeStampMicroVector micros = filled(new TimeStampMicroVector("v", allocator), value)) {
            assertEquals(
                    TimestampData.fromEpochMillis(-1501, 999_000),
                    new EpochSafeTimestampVector(micros).getTimestamp(0, 6));
        }
    }

    @Test
    void millisecondsAndSecondsAreReadAsTheyAre() {
        try (TimeStampMilliVector millis = filled(new TimeStampMilliVector("v", allocator), -1);
                TimeStampSecVector seconds = filled(new TimeStampSecVector("v", allocator), -2)) {
            assertEquals(TimestampData.fromEpochMillis(-1),
                    new EpochSafeTimestampVector(millis).getTimestamp(0, 3));
            assertEquals(TimestampData.fromEpochMillis(-2000),
                    new EpochSafeTimestampVector(seconds).getTimestamp(0, 0));
        }
    }

    /**
     * The Flink behaviour the class works around (FlinkRelease.Workaround.PRE_EPOCH_TIMESTAMP_READ:
     * Flink's ArrowTimestampColumnVector splits nanoseconds with truncating division, so a
     * pre-1970 value gets a negative nano-of-milli). When this fails, Flink reads such values
     * itself: end the workaround at the release before.
     */
    @Test
    void flinksOwnReaderStillFailsOnPreEpochNanoseconds() {
        try (TimeStampNanoVector nanos = filled(new TimeStampNanoVector("v", allocator), -1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> new ArrowTimestampColumnVector(nanos).getTimestamp(0, 9));
        }
        assertTrue(FlinkRelease.Workaround.PRE_EPOCH_TIMESTAMP_READ.active());
    }
}
