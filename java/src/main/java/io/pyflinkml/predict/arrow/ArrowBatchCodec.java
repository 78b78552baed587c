package io.pyflinkml.predict.arrow;

import org.apache.flink.api.python.shaded.org.apache.arrow.memory.BufferAllocator;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorLoader;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorUnloader;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.types.pojo.Schema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.arrow.ArrowReader;
import org.apache.flink.table.runtime.arrow.ArrowUtils;
import org.apache.flink.table.runtime.arrow.ArrowWriter;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.BinaryType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Turns rows into Arrow IPC record batch messages and back, with flink-python's Arrow (the same mapping
 * PyFlink's pandas functions use). One instance per function; not thread-safe.
 */
public final class ArrowBatchCodec implements AutoCloseable {

    private final RowType outputType;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot inputRoot;
    private final RowType arrowInputType;
    private final boolean hasMap;
    private ArrowWriter<RowData> inputWriter;
    private final VectorUnloader inputUnloader;
    private final VectorSchemaRoot outputRoot;
    private final VectorLoader outputLoader;
    private final ArrowReader outputReader;
    private final RowDataSerializer outputCopier;
    private final String name;
    private final RowType inputType;
    private final int[] nanoTimestampFields;
    private final int[] fixedBinaryFields;
    private final RowData.FieldGetter[] inputFields;

    public ArrowBatchCodec(String name, RowType inputType, RowType outputType) {
        this.name = name;
        this.inputType = inputType;
        this.nanoTimestampFields = nanoTimestampFields(inputType);
        this.fixedBinaryFields =
                IntStream.range(0, inputType.getFieldCount())
                        .filter(i -> inputType.getTypeAt(i) instanceof BinaryType)
                        .toArray();
        this.inputFields = new RowData.FieldGetter[inputType.getFieldCount()];
        for (int i = 0; i < inputFields.length; i++) {
            inputFields[i] = RowData.createFieldGetter(inputType.getTypeAt(i), i);
        }
        this.arrowInputType = (RowType) ArrowTypeSupport.forArrow(inputType);
        this.hasMap = ArrowTypeSupport.contains(inputType, type -> type instanceof MapType);
        this.outputType = (RowType) ArrowTypeSupport.forArrow(outputType);
        this.allocator =
                ArrowUtils.getRootAllocator().newChildAllocator(name, 0, Long.MAX_VALUE);
        this.inputRoot =
                VectorSchemaRoot.create(ArrowUtils.toArrowSchema(arrowInputType), allocator);
        this.inputWriter = ArrowUtils.createRowDataArrowWriter(inputRoot, arrowInputType);
        this.inputUnloader = new VectorUnloader(inputRoot);
        this.outputRoot =
                VectorSchemaRoot.create(ArrowUtils.toArrowSchema(this.outputType), allocator);
        this.outputLoader = new VectorLoader(outputRoot);
        this.outputReader =
                new ArrowReader(EpochSafeColumnVectors.of(outputRoot, this.outputType));
        this.outputCopier = new RowDataSerializer(this.outputType);
    }

    /** The INPUT schema as an Arrow IPC schema message, sent once when Python starts. */
    public byte[] inputSchemaBytes() {
        return schemaBytes(inputRoot.getSchema());
    }

    /** The OUTPUT schema as an Arrow IPC schema message, so Python builds exact types. */
    public byte[] outputSchemaBytes() {
        return schemaBytes(outputRoot.getSchema());
    }

    private static byte[] schemaBytes(Schema schema) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), schema);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize an Arrow schema", e);
        }
    }

    /**
     * Encodes input rows (the model's INPUT columns) as one Arrow record batch message; the
     * schema went once at start, so a batch costs only its data.
     */
    public byte[] encode(List<RowData> rows) throws IOException {
        if (hasMap) {
            // Flink's map writer does not reset its key and value writers: reused, it writes a
            // second batch's entries after the first's. A fresh writer per batch is correct.
            inputWriter = ArrowUtils.createRowDataArrowWriter(inputRoot, arrowInputType);
        } else {
            inputWriter.reset();
        }
        for (RowData row : rows) {
            for (int field : nanoTimestampFields) {
                checkNanosecondRange(row, field);
            }
            inputWriter.write(fixedBinaryFields.length == 0 ? row : padBinaries(row));
        }
        inputWriter.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + rows.size() * 32);
        try (ArrowRecordBatch batch = inputUnloader.getRecordBatch()) {
            MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), batch);
        }
        return out.toByteArray();
    }

    /**
     * BINARY(n) is fixed-length, but sources such as CSV and JSON hand over shorter values,
     * which Arrow's fixed-size vector cannot take: pad them with zero bytes, as a CAST would.
     */
    private RowData padBinaries(RowData row) {
        GenericRowData padded = null;
        for (int field : fixedBinaryFields) {
            if (row.isNullAt(field)) {
                continue;
            }
            byte[] value = row.getBinary(field);
            int length = ((BinaryType) inputType.getTypeAt(field)).getLength();
            if (value.length > length) {
                throw new IllegalArgumentException(
                        String.format(
                                "%s: INPUT column '%s' (BINARY(%d)) got a value of %d bytes.",
                                name, inputType.getFieldNames().get(field), length,
                                value.length));
            }
            if (value.length < length) {
                if (padded == null) {
                    padded = new GenericRowData(row.getRowKind(), inputFields.length);
                    for (int i = 0; i < inputFields.length; i++) {
                        padded.setField(i, inputFields[i].getFieldOrNull(row));
                    }
                }
                padded.setField(field, Arrays.copyOf(value, length));
            }
        }
        return padded == null ? row : padded;
    }

    /** Top-level TIMESTAMP(7..9) columns: Arrow carries them as int64 nanoseconds. */
    private static int[] nanoTimestampFields(RowType rowType) {
        return IntStream.range(0, rowType.getFieldCount())
                .filter(i -> timestampPrecision(rowType.getTypeAt(i)) > 6)
                .toArray();
    }

    private static int timestampPrecision(LogicalType type) {
        if (type instanceof TimestampType) {
            return ((TimestampType) type).getPrecision();
        }
        if (type instanceof LocalZonedTimestampType) {
            return ((LocalZonedTimestampType) type).getPrecision();
        }
        return 0;
    }

    /**
     * Flink's Arrow writer would overflow silently: int64 nanoseconds reach only from 1677-09-21
     * to 2262-04-11.
     */
    private void checkNanosecondRange(RowData row, int field) {
        if (row.isNullAt(field)) {
            return;
        }
        int precision = timestampPrecision(inputType.getTypeAt(field));
        TimestampData value = row.getTimestamp(field, precision);
        long millis = value.getMillisecond();
        if (millis > Long.MAX_VALUE / 1_000_000 - 1 || millis < Long.MIN_VALUE / 1_000_000 + 1) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: INPUT column '%s' (%s) got %s, outside the range that"
                                    + " nanosecond precision can carry to Python (1677-09-22 to"
                                    + " 2262-04-10); cast it to TIMESTAMP(6) in the query.",
                            name,
                            inputType.getFieldNames().get(field),
                            inputType.getTypeAt(field).asSummaryString(),
                            value));
        }
    }

    /** Decodes Python's output record batch message, copying rows out of Arrow memory. */
    public List<RowData> decode(byte[] bytes, int offset, int length) throws IOException {
        ReadChannel channel =
                new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes, offset, length)));
        try (ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(channel, allocator)) {
            if (batch == null) {
                return Collections.emptyList();
            }
            outputLoader.load(batch);
        }
        int count = outputRoot.getRowCount();
        List<RowData> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(outputCopier.copy(outputReader.read(i)));
        }
        return rows;
    }

    @Override
    public void close() {
        outputRoot.close();
        inputRoot.close();
        allocator.close();
    }
}
