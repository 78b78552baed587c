package io.pyflinkml.predict.arrow;

import io.pyflinkml.predict.FlinkRelease;

import io.pyflinkml.predict.arrow.NestedRepair.Repair;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.BinaryType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

import java.util.Arrays;

/**
 * Readies input rows for Flink's Arrow writer, which mishandles two kinds of value wherever they
 * sit (top level, ARRAY element, ROW field, MAP key or value):
 *
 * <ul>
 *   <li>TIMESTAMP(7..9) and TIMESTAMP_LTZ(7..9) go to Arrow as int64 nanoseconds, which reach
 *       only 1677-09-22 to 2262-04-10; the writer overflows silently, so such values are refused
 *       with an error naming the column.
 *   <li>BINARY(n) is fixed-length, but sources such as CSV and JSON hand over shorter values,
 *       which Arrow's fixed-size vector cannot take: they are padded with zero bytes, as a CAST
 *       would pad them.
 * </ul>
 */
final class InputRowRepair {

    private final Repair rows;

    private InputRowRepair(Repair rows) {
        this.rows = rows;
    }

    /** Null when the type holds neither kind of value: such rows need nothing. */
    static InputRowRepair of(String modelName, RowType inputType) {
        if (!FlinkRelease.Workaround.ARROW_WRITER_INPUT_VALUES.active()) {
            return null;
        }
        Repair[] columns = new Repair[inputType.getFieldCount()];
        for (int i = 0; i < columns.length; i++) {
            String column = inputType.getFieldNames().get(i);
            LogicalType columnType = inputType.getTypeAt(i);
            columns[i] =
                    NestedRepair.of(
                            columnType,
                            column,
                            (type, path) ->
                                    valueRepair(
                                            type,
                                            where(modelName, column, columnType, path, type)));
        }
        Repair rows = NestedRepair.row(inputType, columns);
        return rows == null ? null : new InputRowRepair(rows);
    }

    RowData apply(RowData row) {
        return (RowData) rows.apply(row);
    }

    /** "m: INPUT column 'v' (TIMESTAMP(9))", or with ", at v[] TIMESTAMP(9)," when nested. */
    private static String where(
            String modelName,
            String column,
            LogicalType columnType,
            String path,
            LogicalType type) {
        String where =
                String.format(
                        "%s: INPUT column '%s' (%s)",
                        modelName, column, columnType.asSummaryString());
        return path.equals(column)
                ? where
                : String.format("%s, at %s %s,", where, path, type.asSummaryString());
    }

    private static Repair valueRepair(LogicalType type, String where) {
        if (type.is(LogicalTypeFamily.TIMESTAMP) && LogicalTypeChecks.getPrecision(type) > 6) {
            return value -> checkNanosecondRange((TimestampData) value, where);
        }
        if (type instanceof BinaryType) {
            int length = ((BinaryType) type).getLength();
            return value -> padBinary((byte[]) value, length, where);
        }
        return null;
    }

    private static TimestampData checkNanosecondRange(TimestampData value, String where) {
        long millis = value.getMillisecond();
        if (millis > Long.MAX_VALUE / 1_000_000 - 1 || millis < Long.MIN_VALUE / 1_000_000 + 1) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s got %s, outside the range that nanosecond precision can carry to"
                                    + " Python (1677-09-22 to 2262-04-10); cast it to"
                                    + " TIMESTAMP(6) in the query.",
                            where, value));
        }
        return value;
    }

    private static byte[] padBinary(byte[] value, int length, String where) {
        if (value.length > length) {
            throw new IllegalArgumentException(
                    String.format("%s got a value of %d bytes.", where, value.length));
        }
        return value.length < length ? Arrays.copyOf(value, length) : value;
    }
}
