package io.pyflinkml.predict.arrow;

import org.apache.flink.api.python.shaded.org.apache.arrow.memory.BufferAllocator;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.FieldVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.ArrowStreamWriter;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns rows into Arrow IPC stream bytes and back, with flink-python's Arrow (the same mapping
 * PyFlink's pandas functions use). One instance per function; not thread-safe.
 */
public final class ArrowBatchCodec implements AutoCloseable {

    private final RowType inputType;
    private final RowType outputType;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot inputRoot;
    private final ArrowWriter<RowData> inputWriter;
    private final RowDataSerializer outputCopier;

    public ArrowBatchCodec(String name, RowType inputType, RowType outputType) {
        this.inputType = (RowType) forArrow(inputType);
        this.outputType = (RowType) forArrow(outputType);
        this.allocator =
                ArrowUtils.getRootAllocator().newChildAllocator(name, 0, Long.MAX_VALUE);
        this.inputRoot =
                VectorSchemaRoot.create(ArrowUtils.toArrowSchema(this.inputType), allocator);
        this.inputWriter = ArrowUtils.createRowDataArrowWriter(inputRoot, this.inputType);
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

    /** The output schema as an Arrow IPC stream without batches, so Python builds exact types. */
    public byte[] outputSchemaBytes() {
        try (VectorSchemaRoot root =
                        VectorSchemaRoot.create(ArrowUtils.toArrowSchema(outputType), allocator);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
            writer.start();
            writer.end();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize the Arrow output schema", e);
        }
    }

    /** Encodes input rows (the model's INPUT columns) as one Arrow record batch. */
    public byte[] encode(List<RowData> rows) throws IOException {
        inputWriter.reset();
        for (RowData row : rows) {
            inputWriter.write(row);
        }
        inputWriter.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + rows.size() * 32);
        try (ArrowStreamWriter writer = new ArrowStreamWriter(inputRoot, null, out)) {
            writer.start();
            writer.writeBatch();
            writer.end();
        }
        return out.toByteArray();
    }

    /** Decodes Python's output rows, copied out of Arrow memory. */
    public List<RowData> decode(byte[] bytes) throws IOException {
        try (ArrowStreamReader reader =
                new ArrowStreamReader(new ByteArrayInputStream(bytes), allocator)) {
            if (!reader.loadNextBatch()) {
                return Collections.emptyList();
            }
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            ArrowReader arrowReader = reader(root);
            int count = root.getRowCount();
            List<RowData> rows = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                rows.add(outputCopier.copy(arrowReader.read(i)));
            }
            return rows;
        }
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
        inputRoot.close();
        allocator.close();
    }
}
