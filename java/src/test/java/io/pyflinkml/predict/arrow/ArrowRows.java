package io.pyflinkml.predict.arrow;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.types.Row;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows as tests write them (Flink's external classes: {@link Row}, LocalDateTime, BigDecimal,
 * arrays, maps), turned into Flink's internal rows and back, so that a test compares values, not
 * the classes (generic or binary) that hold them.
 */
public final class ArrowRows {

    private final DataStructureConverter<Object, Object> converter;

    @SuppressWarnings("unchecked")
    public ArrowRows(RowType type) {
        converter =
                (DataStructureConverter<Object, Object>)
                        DataStructureConverters.getConverter(
                                TypeConversions.fromLogicalToDataType(type));
        converter.open(ArrowRows.class.getClassLoader());
    }

    public RowData internal(Row row) {
        return (RowData) converter.toInternal(row);
    }

    public List<RowData> internal(List<Row> rows) {
        List<RowData> internal = new ArrayList<>();
        for (Row row : rows) {
            internal.add(internal(row));
        }
        return internal;
    }

    public List<Row> external(List<RowData> rows) {
        List<Row> external = new ArrayList<>();
        for (RowData row : rows) {
            external.add((Row) converter.toExternal(row));
        }
        return external;
    }

    /**
     * Values as plain comparable objects: arrays and rows as lists, byte arrays as hex text, maps
     * as hash maps of those; what a failing assertion prints stays readable.
     */
    public static Object plain(Object value) {
        if (value instanceof byte[]) {
            StringBuilder hex = new StringBuilder("0x");
            for (byte b : (byte[]) value) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        }
        if (value instanceof Object[]) {
            List<Object> list = new ArrayList<>();
            for (Object element : (Object[]) value) {
                list.add(plain(element));
            }
            return list;
        }
        if (value instanceof Row) {
            Row row = (Row) value;
            List<Object> fields = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                fields.add(plain(row.getField(i)));
            }
            return fields;
        }
        if (value instanceof Map) {
            Map<Object, Object> map = new HashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> map.put(plain(k), plain(v)));
            return map;
        }
        return value;
    }

    /** Row by row, so a mismatch names its row and prints only it. */
    public static void assertSameRows(List<Row> expected, List<Row> actual) {
        Assertions.assertEquals(expected.size(), actual.size(), "rows");
        for (int i = 0; i < expected.size(); i++) {
            Assertions.assertEquals(plain(expected.get(i)), plain(actual.get(i)), "row " + i);
        }
    }

    /** The rows through a codec whose INPUT and OUTPUT are both {@code type}: Arrow and back. */
    static List<Row> roundTrip(RowType type, List<Row> rows) throws IOException {
        ArrowRows convert = new ArrowRows(type);
        try (ArrowBatchCodec codec = new ArrowBatchCodec("test", type, type)) {
            byte[] batch = codec.encode(convert.internal(rows));
            return convert.external(codec.decode(batch, 0, batch.length));
        }
    }
}
