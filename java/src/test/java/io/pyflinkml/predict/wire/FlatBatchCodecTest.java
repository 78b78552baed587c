package io.pyflinkml.predict.wire;

import static io.pyflinkml.predict.TestModels.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

class FlatBatchCodecTest {

    /** One column of every flat kind, as tests/java/.../WireFixtures.java has it. */
    static final RowType FLAT =
            row("b BOOLEAN, t TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE,"
                    + " c CHAR(3), v STRING, y BYTES");

    static final String KINDS = "?bhiqfdssy";

    /** WireFixtures' rows: extremes, every column NULL, and zeros, NaN, infinity, empty values. */
    static List<RowData> fixtureRows() {
        List<RowData> rows = new ArrayList<>();
        rows.add(
                GenericRowData.of(
                        true, (byte) -128, (short) 32767, Integer.MIN_VALUE, Long.MAX_VALUE,
                        1.5f, -0.0, StringData.fromString("abc"),
                        StringData.fromString("h\u00e9llo \u4e16\u754c \ud83d\ude00"),
                        new byte[] {0, 1, (byte) 255}));
        rows.add(new GenericRowData(FLAT.getFieldCount()));
        rows.add(
                GenericRowData.of(
                        false, (byte) 0, (short) -1, 7, -1L, Float.NaN,
                        Double.POSITIVE_INFINITY, StringData.fromString(""),
                        StringData.fromString(""), new byte[0]));
        rows.add(
                GenericRowData.of(
                        false, Byte.MAX_VALUE, Short.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE,
                        Float.MIN_VALUE, -Double.MAX_VALUE, StringData.fromString("x\u0000y"),
                        StringData.fromString("\n\t"), new byte[] {(byte) 0x80}));
        return rows;
    }

    @Test
    void everyPlainScalarTypeHasItsKindLetter() {
        assertEquals(KINDS, FlatBatchCodec.kinds(FLAT));
        assertEquals("ssy", FlatBatchCodec.kinds(row("a VARCHAR(5), b CHAR(1), c VARBINARY(4)")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DECIMAL(10, 2)", "BINARY(4)", "DATE", "TIME(3)", "TIMESTAMP(3)",
                "TIMESTAMP_LTZ(6)", "ARRAY<INT>", "MAP<STRING, INT>", "ROW<a INT>"
            })
    void aColumnWithoutFlatFormSendsTheWholeSchemaThroughArrow(String type) {
        assertNull(FlatBatchCodec.kinds(row("x INT, v " + type)));
    }

    @Test
    void rowsRoundTripWithTheirValuesNullsAndSignedZero() {
        List<RowData> rows = fixtureRows();
        byte[] bytes = new FlatBatchCodec.Writer(KINDS).encode(rows);
        List<RowData> back = new FlatBatchCodec.Reader(KINDS).decode(bytes, 0, bytes.length);

        assertEquals(rows.size(), back.size());
        assertEquals(rows.get(0), back.get(0));
        assertEquals(rows.get(3), back.get(3));
        for (int c = 0; c < FLAT.getFieldCount(); c++) {
            assertTrue(back.get(1).isNullAt(c), "column " + c + " of the NULL row");
        }
        assertTrue(Float.isNaN(back.get(2).getFloat(5)));
        assertEquals(Double.POSITIVE_INFINITY, back.get(2).getDouble(6));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.get(0).getDouble(6)));
        // An empty string is a value, not NULL.
        assertFalse(back.get(2).isNullAt(7));
        assertEquals("", back.get(2).getString(8).toString());
        assertArrayEquals(new byte[0], back.get(2).getBinary(9));
    }

    @Test
    void aBatchIsLaidOutAsRuntimeFlatPySpecifies() {
        List<RowData> rows =
                Arrays.asList(
                        GenericRowData.of(1, StringData.fromString("\u00e9")),
                        GenericRowData.of(null, null));
        byte[] bytes = new FlatBatchCodec.Writer("is").encode(rows);
        byte[] expected = {
            2, 0, 0, 0, // n, little-endian
            0, 1, // NULL flags of column i
            1, 0, 0, 0, 0, 0, 0, 0, // its values, 0 where NULL
            0, 1, // NULL flags of column s
            2, 0, 0, 0, 0, 0, 0, 0, // its byte lengths
            (byte) 0xc3, (byte) 0xa9 // its UTF-8 bytes
        };
        assertArrayEquals(expected, bytes);
    }

    @Test
    void anEmptyBatchIsJustItsCount() {
        byte[] bytes = new FlatBatchCodec.Writer("is").encode(Collections.emptyList());
        assertArrayEquals(new byte[] {0, 0, 0, 0}, bytes);
        assertEquals(0, new FlatBatchCodec.Reader("is").decode(bytes, 0, bytes.length).size());
    }

    @Test
    void aWriterIsReusedForBatchesOfOtherSizes() {
        FlatBatchCodec.Writer writer = new FlatBatchCodec.Writer(KINDS);
        FlatBatchCodec.Reader reader = new FlatBatchCodec.Reader(KINDS);
        List<RowData> rows = fixtureRows();
        writer.encode(rows);
        byte[] one = writer.encode(rows.subList(1, 2));
        byte[] all = writer.encode(rows);
        assertEquals(rows.subList(1, 2), reader.decode(one, 0, one.length));
        assertEquals(rows.get(3), reader.decode(all, 0, all.length).get(3));
    }

    @Test
    void aBatchIsReadFromTheMiddleOfALargerMessage() {
        byte[] batch = new FlatBatchCodec.Writer("iy").encode(
                Collections.singletonList(GenericRowData.of(42, new byte[] {9, 8})));
        byte[] message = new byte[batch.length + 5];
        System.arraycopy(batch, 0, message, 5, batch.length);
        RowData read = new FlatBatchCodec.Reader("iy").decode(message, 5, batch.length).get(0);
        assertEquals(42, read.getInt(0));
        assertArrayEquals(new byte[] {9, 8}, read.getBinary(1));
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] batch = new FlatBatchCodec.Writer("i").encode(
                Collections.singletonList(GenericRowData.of(1)));
        byte[] longer = Arrays.copyOf(batch, batch.length + 3);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new FlatBatchCodec.Reader("i").decode(longer, 0, longer.length));
        assertTrue(e.getMessage().contains("3 bytes too many"), e.getMessage());
    }

    /** The bytes Python's FlatWriter wrote for test_wire.py's values (resources/wire). */
    @Test
    void javaReadsTheFlatBatchPythonWrote() throws Exception {
        byte[] bytes = resource("/wire/python_flat_batch.bin");
        List<RowData> rows = new FlatBatchCodec.Reader(KINDS).decode(bytes, 0, bytes.length);
        assertEquals(3, rows.size());
        assertEquals(
                GenericRowData.of(
                        true, (byte) -128, (short) 32767, Integer.MIN_VALUE, Long.MAX_VALUE,
                        1.5f, -0.0, StringData.fromString("abc"),
                        StringData.fromString("\u00fc\ud83d\ude00"), new byte[] {0, (byte) 0xff}),
                rows.get(0));
        for (int c = 0; c < KINDS.length(); c++) {
            assertTrue(rows.get(1).isNullAt(c));
        }
        assertEquals(
                GenericRowData.of(
                        false, (byte) 127, (short) -32768, Integer.MAX_VALUE, Long.MIN_VALUE,
                        -2.5f, 1e300, StringData.fromString(""), StringData.fromString(""),
                        new byte[0]),
                rows.get(2));
    }

    @Test
    void javaWritesTheBytesPythonWroteForTheSameRows() throws Exception {
        List<RowData> rows =
                Arrays.asList(
                        GenericRowData.of(
                                true, (byte) -128, (short) 32767, Integer.MIN_VALUE,
                                Long.MAX_VALUE, 1.5f, -0.0, StringData.fromString("abc"),
                                StringData.fromString("\u00fc\ud83d\ude00"),
                                new byte[] {0, (byte) 0xff}),
                        new GenericRowData(KINDS.length()),
                        GenericRowData.of(
                                false, (byte) 127, (short) -32768, Integer.MAX_VALUE,
                                Long.MIN_VALUE, -2.5f, 1e300, StringData.fromString(""),
                                StringData.fromString(""), new byte[0]));
        assertArrayEquals(
                resource("/wire/python_flat_batch.bin"),
                new FlatBatchCodec.Writer(KINDS).encode(rows));
    }

    static byte[] resource(String name) throws Exception {
        try (InputStream in = FlatBatchCodecTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
