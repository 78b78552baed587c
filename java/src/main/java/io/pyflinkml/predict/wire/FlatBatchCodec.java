package io.pyflinkml.predict.wire;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The flat batch layout for rows of plain scalar columns: a few bytes per value and no per-batch
 * schema work, so that a batch of ten rows costs microseconds where Arrow IPC costs a hundred.
 * The layout is specified in {@code pyflink_ml_predict/runtime/flat.py}; this class decides which
 * column types have a flat form (their kind letter) and writes INPUT rows and reads OUTPUT rows.
 * The Python side reads and writes the same layout from the kind letters it receives at INIT.
 */
public final class FlatBatchCodec {

    private FlatBatchCodec() {}

    /**
     * One kind letter per column (Python struct letters, plus {@code s} for UTF-8 strings and
     * {@code y} for bytes), or null when a column has no flat form and the batch takes Arrow.
     */
    public static String kinds(RowType rowType) {
        StringBuilder kinds = new StringBuilder();
        for (LogicalType type : rowType.getChildren()) {
            char kind = kind(type);
            if (kind == 0) {
                return null;
            }
            kinds.append(kind);
        }
        return kinds.toString();
    }

    private static char kind(LogicalType type) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return '?';
            case TINYINT:
                return 'b';
            case SMALLINT:
                return 'h';
            case INTEGER:
                return 'i';
            case BIGINT:
                return 'q';
            case FLOAT:
                return 'f';
            case DOUBLE:
                return 'd';
            case CHAR:
            case VARCHAR:
                return 's';
            case VARBINARY:
                return 'y'; // BINARY(n) is fixed-length: Arrow's fixed-size vector checks it
            default:
                return 0;
        }
    }

    private static int width(char kind) {
        switch (kind) {
            case '?':
            case 'b':
                return 1;
            case 'h':
                return 2;
            case 'i':
            case 'f':
                return 4;
            default:
                return 8;
        }
    }

    private static boolean variable(char kind) {
        return kind == 's' || kind == 'y';
    }

    /** Writes rows in the flat layout. Not thread-safe. */
    public static final class Writer {
        private final char[] kinds;
        private final byte[][][] scratch;

        public Writer(String kinds) {
            this.kinds = kinds.toCharArray();
            this.scratch = new byte[this.kinds.length][][];
        }

        public byte[] encode(List<RowData> rows) {
            int n = rows.size();
            int size = 4;
            for (int c = 0; c < kinds.length; c++) {
                size += n;
                if (variable(kinds[c])) {
                    byte[][] values = valuesOf(c, n);
                    for (int r = 0; r < n; r++) {
                        RowData row = rows.get(r);
                        byte[] value =
                                row.isNullAt(c)
                                        ? null
                                        : kinds[c] == 's'
                                                ? row.getString(c).toBytes()
                                                : row.getBinary(c);
                        values[r] = value;
                        size += 4 + (value == null ? 0 : value.length);
                    }
                } else {
                    size += n * width(kinds[c]);
                }
            }
            ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            out.putInt(n);
            for (int c = 0; c < kinds.length; c++) {
                for (int r = 0; r < n; r++) {
                    out.put(rows.get(r).isNullAt(c) ? (byte) 1 : (byte) 0);
                }
                if (variable(kinds[c])) {
                    byte[][] values = scratch[c];
                    for (int r = 0; r < n; r++) {
                        out.putInt(values[r] == null ? 0 : values[r].length);
                    }
                    for (int r = 0; r < n; r++) {
                        if (values[r] != null) {
                            out.put(values[r]);
                        }
                        values[r] = null;
                    }
                } else {
                    for (int r = 0; r < n; r++) {
                        putValue(out, kinds[c], rows.get(r), c);
                    }
                }
            }
            return out.array();
        }

        private byte[][] valuesOf(int column, int n) {
            if (scratch[column] == null || scratch[column].length < n) {
                scratch[column] = new byte[n][];
            }
            return scratch[column];
        }

        private static void putValue(ByteBuffer out, char kind, RowData row, int c) {
            boolean isNull = row.isNullAt(c);
            switch (kind) {
                case '?':
                    out.put(!isNull && row.getBoolean(c) ? (byte) 1 : (byte) 0);
                    break;
                case 'b':
                    out.put(isNull ? 0 : row.getByte(c));
                    break;
                case 'h':
                    out.putShort(isNull ? 0 : row.getShort(c));
                    break;
                case 'i':
                    out.putInt(isNull ? 0 : row.getInt(c));
                    break;
                case 'q':
                    out.putLong(isNull ? 0 : row.getLong(c));
                    break;
                case 'f':
                    out.putFloat(isNull ? 0 : row.getFloat(c));
                    break;
                default:
                    out.putDouble(isNull ? 0 : row.getDouble(c));
            }
        }
    }

    /** Reads rows in the flat layout into new rows. Thread-safe (it keeps no state). */
    public static final class Reader {
        private final char[] kinds;

        public Reader(String kinds) {
            this.kinds = kinds.toCharArray();
        }

        public List<RowData> decode(byte[] bytes, int offset, int length) {
            ByteBuffer in = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
            int n = in.getInt();
            GenericRowData[] rows = new GenericRowData[n];
            for (int r = 0; r < n; r++) {
                rows[r] = new GenericRowData(kinds.length);
            }
            for (int c = 0; c < kinds.length; c++) {
                int nulls = in.position();
                in.position(nulls + n);
                if (variable(kinds[c])) {
                    int lengths = in.position();
                    int data = lengths + 4 * n;
                    for (int r = 0; r < n; r++) {
                        int size = in.getInt(lengths + 4 * r);
                        if (bytes[nulls + r] == 0) {
                            rows[r].setField(
                                    c,
                                    kinds[c] == 's'
                                            ? StringData.fromBytes(bytes, data, size)
                                            : copy(bytes, data, size));
                        }
                        data += size;
                    }
                    in.position(data);
                } else {
                    for (int r = 0; r < n; r++) {
                        Object value = readValue(in, kinds[c]);
                        if (bytes[nulls + r] == 0) {
                            rows[r].setField(c, value);
                        }
                    }
                }
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException(
                        "A flat batch of " + n + " rows has " + in.remaining() + " bytes too many");
            }
            List<RowData> list = new ArrayList<>(n);
            for (GenericRowData row : rows) {
                list.add(row);
            }
            return list;
        }

        private static byte[] copy(byte[] bytes, int offset, int size) {
            byte[] value = new byte[size];
            System.arraycopy(bytes, offset, value, 0, size);
            return value;
        }

        private static Object readValue(ByteBuffer in, char kind) {
            switch (kind) {
                case '?':
                    return in.get() != 0;
                case 'b':
                    return in.get();
                case 'h':
                    return in.getShort();
                case 'i':
                    return in.getInt();
                case 'q':
                    return in.getLong();
                case 'f':
                    return in.getFloat();
                default:
                    return in.getDouble();
            }
        }
    }
}
