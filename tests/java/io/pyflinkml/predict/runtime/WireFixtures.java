package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.arrow.ArrowBatchCodec;
import io.pyflinkml.predict.wire.FlatBatchCodec;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Java side of tests/integration/test_wire.py: {@code write DIR} writes messages as the provider sends
 * them; {@code read DIR} decodes the messages Python wrote there and prints what Java sees.
 */
public class WireFixtures {

    /** One column of every flat kind. */
    static final RowType FLAT =
            (RowType)
                    LogicalTypeParser.parse(
                            "ROW<b BOOLEAN, t TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT,"
                                    + " d DOUBLE, c CHAR(3), v STRING, y BYTES>",
                            WireFixtures.class.getClassLoader());

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[1]);
        if (args[0].equals("write")) {
            write(dir);
        } else {
            read(dir);
        }
    }

    static void write(Path dir) throws Exception {
        System.out.println("kinds " + FlatBatchCodec.kinds(FLAT));
        List<RowData> rows = new ArrayList<>();
        rows.add(
                GenericRowData.of(
                        true, (byte) -128, (short) 32767, Integer.MIN_VALUE, Long.MAX_VALUE,
                        1.5f, -0.0, StringData.fromString("abc"),
                        StringData.fromString("h\u00e9llo \u4e16\u754c \ud83d\ude00"),
                        new byte[] {0, 1, (byte) 255}));
        rows.add(new GenericRowData(FLAT.getFieldCount())); // every column NULL
        rows.add(
                GenericRowData.of(
                        false, (byte) 0, (short) -1, 7, -1L, Float.NaN,
                        Double.POSITIVE_INFINITY, StringData.fromString(""),
                        StringData.fromString(""), new byte[0]));
        Files.write(dir.resolve("java_flat_batch.bin"), new FlatBatchCodec.Writer(FlatBatchCodec.kinds(FLAT)).encode(rows));
        RowType output = (RowType) LogicalTypeParser.parse(
                "ROW<n INT, u STRING>", WireFixtures.class.getClassLoader());
        try (ArrowBatchCodec arrow = new ArrowBatchCodec("fixtures", FLAT, output)) {
            Files.write(
                    dir.resolve("java_init.bin"),
                    PythonModelSession.initMessage(
                            "{\"model_name\": \"m\"}", "1/2", FlatBatchCodec.kinds(FLAT), null,
                            arrow.inputSchemaBytes(), arrow.outputSchemaBytes()));
        }
    }

    static void read(Path dir) throws Exception {
        RowType output = (RowType) LogicalTypeParser.parse(
                "ROW<n INT, u STRING>", WireFixtures.class.getClassLoader());
        byte[] result = Files.readAllBytes(dir.resolve("python_result.bin"));
        PythonModelSession.Result parsed =
                PythonModelSession.Result.read(ByteBuffer.wrap(result), 3, "model 'm'");
        System.out.println("counts " + Arrays.toString(parsed.counts));
        System.out.println("errors " + Arrays.toString(parsed.errors));
        System.out.println("retries " + parsed.retries);
        System.out.println(
                "metrics "
                        + new String(
                                parsed.bytes,
                                parsed.metricsOffset,
                                parsed.metricsLength,
                                java.nio.charset.StandardCharsets.UTF_8));
        System.out.println("version " + parsed.version);
        System.out.println("encoding " + parsed.encoding);
        List<RowData> rows =
                new FlatBatchCodec.Reader(FlatBatchCodec.kinds(output))
                        .decode(parsed.bytes, parsed.rowsOffset, parsed.rowsLength());
        print(rows, output);
        byte[] flat = Files.readAllBytes(dir.resolve("python_flat_batch.bin"));
        print(new FlatBatchCodec.Reader(FlatBatchCodec.kinds(FLAT)).decode(flat, 0, flat.length), FLAT);
    }

    static void print(List<RowData> rows, RowType type) {
        for (RowData row : rows) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < type.getFieldCount(); i++) {
                values.add(text(RowData.createFieldGetter(type.getTypeAt(i), i).getFieldOrNull(row), type.getTypeAt(i)));
            }
            System.out.println("row " + String.join(" | ", values));
        }
    }

    static String text(Object value, LogicalType type) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof byte[]) {
            StringBuilder hex = new StringBuilder("0x");
            for (byte b : (byte[]) value) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        }
        if (value instanceof StringData) {
            return "'" + new String(((StringData) value).toBytes(), StandardCharsets.UTF_8) + "'";
        }
        return value.toString();
    }
}
