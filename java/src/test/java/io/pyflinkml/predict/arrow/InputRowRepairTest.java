package io.pyflinkml.predict.arrow;

import static io.pyflinkml.predict.TestModels.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.FlinkRelease;

import org.apache.flink.api.python.shaded.org.apache.arrow.memory.BufferAllocator;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.arrow.ArrowUtils;
import org.apache.flink.table.runtime.arrow.ArrowWriter;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

class InputRowRepairTest {

    @Test
    void typesWithoutNanosecondsOrFixedBinaryNeedNoRepair() {
        assertNull(InputRowRepair.of("m", row("a INT, b BYTES, t TIMESTAMP(6), r ROW<s STRING>")));
    }

    @Test
    void aRowThatNeedsNothingIsPassedOnAsItIs() {
        InputRowRepair repair = InputRowRepair.of("m", row("b BINARY(2), s STRING"));
        RowData exact = GenericRowData.of(new byte[] {1, 2}, StringData.fromString("x"));
        RowData nulls = new GenericRowData(2);
        assertSame(exact, repair.apply(exact));
        assertSame(nulls, repair.apply(nulls));
    }

    @Test
    void onlyThePathToAPaddedValueIsCopied() {
        InputRowRepair repair = InputRowRepair.of("m", row("s STRING, r ROW<a ARRAY<BINARY(3)>, n INT>"));
        GenericArrayData untouched = new GenericArrayData(new Object[] {new byte[] {1, 2, 3}});
        GenericRowData nested = GenericRowData.of(
                new GenericArrayData(new Object[] {new byte[] {1}, null}), 5);
        StringData text = StringData.fromString("kept");
        RowData repaired = repair.apply(GenericRowData.of(text, nested));

        assertSame(text, repaired.getString(0));
        RowData field = repaired.getRow(1, 2);
        assertArrayEquals(new byte[] {1, 0, 0}, field.getArray(0).getBinary(0));
        assertTrue(field.getArray(0).isNullAt(1));
        assertSame(untouched, repair.apply(GenericRowData.of(text, GenericRowData.of(untouched, 1)))
                .getRow(1, 2).getArray(0));
    }

    @Test
    void nanosecondTimestampsInsideTheInt64RangePass() {
        InputRowRepair repair = InputRowRepair.of("m", row("t TIMESTAMP(9), l TIMESTAMP_LTZ(7)"));
        for (LocalDateTime edge : new LocalDateTime[] {
                LocalDateTime.of(2262, 4, 10, 0, 0), LocalDateTime.of(1677, 9, 22, 0, 0)}) {
            TimestampData value = TimestampData.fromLocalDateTime(edge);
            assertDoesNotThrow(() -> repair.apply(GenericRowData.of(value, value)), edge.toString());
        }
    }

    @Test
    void nanosecondTimestampsOutsideTheInt64RangeAreRefusedNamingTheColumn() {
        InputRowRepair repair = InputRowRepair.of("m", row("n INT, l TIMESTAMP_LTZ(9)"));
        for (LocalDateTime outside : new LocalDateTime[] {
                LocalDateTime.of(2262, 4, 12, 0, 0), LocalDateTime.of(1677, 9, 20, 0, 0)}) {
            RowData row = GenericRowData.of(1, TimestampData.fromLocalDateTime(outside));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> repair.apply(row));
            assertTrue(e.getMessage().startsWith("m: INPUT column 'l' (TIMESTAMP_LTZ(9)) got "),
                    e.getMessage());
        }
    }

    @Test
    void aMapKeyOrValueIsNamedByItsPath() {
        InputRowRepair repair = InputRowRepair.of("m", row("v MAP<INT, BINARY(1)>"));
        RowData row = GenericRowData.of(new org.apache.flink.table.data.GenericMapData(
                java.util.Collections.singletonMap(1, new byte[] {1, 2})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> repair.apply(row));
        assertTrue(e.getMessage().contains("at v{value} BINARY(1), got a value of 2 bytes"),
                e.getMessage());
    }

    /**
     * The Flink behaviours the class works around (FlinkRelease.Workaround.ARROW_WRITER_INPUT_VALUES,
     * Flink's ArrowWriter): a BINARY(n) value shorter than n fails, and a TIMESTAMP(9) past 2262
     * overflows int64 nanoseconds without a word. When this fails, end the workaround at the
     * release before.
     */
    @Test
    void flinksOwnWriterStillFailsOnShortBinaryAndOverflowsNanoseconds() {
        assertThrows(RuntimeException.class,
                () -> writeWithFlink(row("b BINARY(4)"), GenericRowData.of(new byte[] {1})));

        LocalDateTime late = LocalDateTime.of(2300, 1, 1, 0, 0);
        long written = writeWithFlink(row("t TIMESTAMP(9)"),
                GenericRowData.of(TimestampData.fromLocalDateTime(late)));
        long seconds = late.toEpochSecond(java.time.ZoneOffset.UTC);
        assertNotEquals(seconds, Math.floorDiv(written, 1_000_000_000L), "no overflow any more");
        assertTrue(FlinkRelease.Workaround.ARROW_WRITER_INPUT_VALUES.active());
    }

    /** Writes one row with Flink's own writer; returns column 0's int64 when it is nanoseconds. */
    private static long writeWithFlink(RowType type, RowData row) {
        BufferAllocator allocator = ArrowUtils.getRootAllocator().newChildAllocator("flink", 0, Long.MAX_VALUE);
        try (VectorSchemaRoot root = VectorSchemaRoot.create(ArrowUtils.toArrowSchema(type), allocator)) {
            ArrowWriter<RowData> writer = ArrowUtils.createRowDataArrowWriter(root, type);
            writer.write(row);
            writer.finish();
            return root.getVector(0) instanceof TimeStampNanoVector
                    ? ((TimeStampNanoVector) root.getVector(0)).get(0)
                    : 0;
        } finally {
            allocator.close();
        }
    }
}
