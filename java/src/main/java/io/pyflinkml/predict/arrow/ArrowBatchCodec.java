package io.pyflinkml.predict.arrow;

import org.apache.flink.api.python.shaded.org.apache.arrow.memory.BufferAllocator;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.FieldVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorLoader;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorUnloader;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.types.pojo.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.columnar.vector.ColumnVector;
import org.apache.flink.table.runtime.arrow.ArrowReader;
import org.apache.flink.table.runtime.arrow.ArrowUtils;
import org.apache.flink.table.runtime.arrow.ArrowWriter;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns rows into Arrow IPC record batch messages and back, with flink-python's Arrow (the same mapping
 * PyFlink's pandas functions use). One instance per function; not thread-safe.
 */
public final class ArrowBatchCodec implements AutoCloseable {

    private final RowType outputType;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot inputRoot;
    private final ArrowWriter<RowData> inputWriter;
    private final VectorUnloader inputUnloader;
    private final VectorSchemaRoot outputRoot;
    private final VectorLoader outputLoader;
    private final ArrowReader outputReader;
    private final RowDataSerializer outputCopier;

    public ArrowBatchCodec(String name, RowType inputType, RowType outputType) {
        RowType arrowInputType = (RowType) forArrow(inputType);
        this.outputType = (RowType) forArrow(outputType);
        this.allocator =
                ArrowUtils.getRootAllocator().newChildAllocator(name, 0, Long.MAX_VALUE);
        this.inputRoot =
                VectorSchemaRoot.create(ArrowUtils.toArrowSchema(arrowInputType), allocator);
        this.inputWriter = ArrowUtils.createRowDataArrowWriter(inputRoot, arrowInputType);
        this.inputUnloader = new VectorUnloader(inputRoot);
        this.outputRoot =
                VectorSchemaRoot.create(ArrowUtils.toArrowSchema(this.outputType), allocator);
        this.outputLoader = new VectorLoader(outputRoot);
        this.outputReader = reader(outputRoot);
        this.outputCopier = new RowDataSerializer(this.outputType);
    }

    /**
     * Fails at plan time, naming the column, for a type that Arrow cannot carry between Flink and
     * Python (for example MULTISET, INTERVAL, RAW or structured types).
     */
    public static void checkSupported(String modelName, String side, RowType rowType) {
        for (RowType.RowField field : rowType.getFields()) {
            try {
                ArrowUtils.toArrowSchema(
                        RowType.of(
                                new LogicalType[] {forArrow(field.getType())},
                                new String[] {field.getName()}));
            } catch (RuntimeException e) {
                throw new ValidationException(
                        String.format(
                                "Model '%s': %s column '%s' has type %s, which the generic-python"
                                        + " provider cannot pass to Python. Supported: BOOLEAN,"
                                        + " TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL,"
                                        + " CHAR, VARCHAR/STRING, BINARY, VARBINARY/BYTES, DATE,"
                                        + " TIME, TIMESTAMP, TIMESTAMP_LTZ, and ARRAY, MAP and ROW"
                                        + " of these (%s).",
                                modelName,
                                side,
                                field.getName(),
                                field.getType(),
                                e.getMessage()),
                        e);
            }
        }
        if (rowType.getFieldCount() == 0) {
            throw new ValidationException(
                    String.format("Model '%s' declares no %s columns.", modelName, side));
        }
    }

    /**
     * The type as Flink's Arrow mapping accepts it: MAP keys NOT NULL (SQL declares them
     * nullable by default, Arrow map keys never are).
     */
    static LogicalType forArrow(LogicalType type) {
        if (type instanceof MapType) {
            MapType map = (MapType) type;
            return new MapType(
                    map.isNullable(),
                    forArrow(map.getKeyType()).copy(false),
                    forArrow(map.getValueType()));
        }
        if (type instanceof ArrayType) {
            ArrayType array = (ArrayType) type;
            return new ArrayType(array.isNullable(), forArrow(array.getElementType()));
        }
        if (type instanceof RowType) {
            List<RowType.RowField> fields = new ArrayList<>();
            for (RowType.RowField field : ((RowType) type).getFields()) {
                fields.add(new RowType.RowField(field.getName(), forArrow(field.getType())));
            }
            return new RowType(type.isNullable(), fields);
        }
        return type;
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
        inputWriter.reset();
        for (RowData row : rows) {
            inputWriter.write(row);
        }
        inputWriter.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + rows.size() * 32);
        try (ArrowRecordBatch batch = inputUnloader.getRecordBatch()) {
            MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), batch);
        }
        return out.toByteArray();
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

    private ArrowReader reader(VectorSchemaRoot root) {
        ColumnVector[] columns = new ColumnVector[outputType.getFieldCount()];
        for (int i = 0; i < columns.length; i++) {
            FieldVector vector = root.getVector(i);
            columns[i] =
                    vector instanceof TimeStampVector
                            ? new EpochSafeTimestampVector((TimeStampVector) vector)
                            : ArrowUtils.createColumnVector(vector, outputType.getTypeAt(i));
        }
        return new ArrowReader(columns);
    }

    @Override
    public void close() {
        outputRoot.close();
        inputRoot.close();
        allocator.close();
    }
}
