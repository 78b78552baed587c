package io.pyflinkml.predict.arrow;

import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampVector;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.columnar.vector.TimestampColumnVector;

/**
 * Reads an Arrow timestamp column. Flink 2.3's own reader splits micro and nano values with
 * truncating division, which fails for instants before 1970; this one floors.
 */
final class EpochSafeTimestampVector implements TimestampColumnVector {

    private final TimeStampVector vector;
    private final long unitsPerMilli;

    EpochSafeTimestampVector(TimeStampVector vector) {
        this.vector = vector;
        if (vector instanceof TimeStampNanoVector) {
            unitsPerMilli = 1_000_000L;
        } else if (vector instanceof TimeStampMicroVector) {
            unitsPerMilli = 1_000L;
        } else if (vector instanceof TimeStampMilliVector) {
            unitsPerMilli = 1L;
        } else {
            unitsPerMilli = 0L; // seconds
        }
    }

    @Override
    public TimestampData getTimestamp(int i, int precision) {
        long value = vector.get(i);
        if (unitsPerMilli == 0L) {
            return TimestampData.fromEpochMillis(value * 1000L);
        }
        long millis = Math.floorDiv(value, unitsPerMilli);
        int nanosOfMilli = (int) (Math.floorMod(value, unitsPerMilli) * (1_000_000L / unitsPerMilli));
        return TimestampData.fromEpochMillis(millis, nanosOfMilli);
    }

    @Override
    public boolean isNullAt(int i) {
        return vector.isNull(i);
    }
}
