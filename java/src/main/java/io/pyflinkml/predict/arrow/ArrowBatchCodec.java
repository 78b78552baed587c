package io.pyflinkml.predict.arrow;

import io.pyflinkml.predict.FlinkRelease;

import org.apache.flink.api.python.shaded.org.apache.arrow.memory.BufferAllocator;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorLoader;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorUnloader;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.types.pojo.Schema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.arrow.ArrowReader;
import org.apache.flink.table.runtime.arrow.ArrowUtils;
import org.apache.flink.table.runtime.arrow.ArrowWriter;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
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

    private final BufferAllocator allocator;
    private final RowType arrowInputType;
    private final VectorSchemaRoot inputRoot;
    private final VectorUnloader inputUnloader;
    private final boolean inputHasMap;
    private ArrowWriter<RowData> inputWriter;
    /** Null when the input type needs no repair, the usual case. */
    private final InputRowRepair inputRepair;
    private final VectorSchemaRoot outputRoot;
    private final VectorLoader outputLoader;
    private final ArrowReader outputReader;
    private final RowDataSerializer outputCopier;

    public ArrowBatchCodec(String name, RowType inputType, RowType outputType) {
        this.inputRepair = InputRowRepair.of(name, inputType);
        this.arrowInputType = (RowType) ArrowTypeSupport.forArrow(inputType);
        this.inputHasMap = ArrowTypeSupport.contains(inputType, type -> type instanceof MapType);
        RowType arrowOutputType = (RowType) ArrowTypeSupport.forArrow(outputType);
        this.allocator =
                ArrowUtils.getRootAllocator().newChildAllocator(name, 0, Long.MAX_VALUE);
        this.inputRoot =
                VectorSchemaRoot.create(ArrowUtils.toArrowSchema(arrowInputType), allocator);
        this.inputWriter = ArrowUtils.createRowDataArrowWriter(inputRoot, arrowInputType);
        this.inputUnloader = new VectorUnloader(inputRoot);
        this.outputRoot =
                VectorSchemaRoot.create(ArrowUtils.toArrowSchema(arrowOutputType), allocator);
        this.outputLoader = new VectorLoader(outputRoot);
        this.outputReader =
                new ArrowReader(EpochSafeColumnVectors.of(outputRoot, arrowOutputType));
        this.outputCopier = new RowDataSerializer(arrowOutputType);
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
        if (inputHasMap && FlinkRelease.Workaround.ARROW_MAP_WRITER_REUSE.active()) {
            // Flink's map writer does not reset its key and value writers: reused, it writes a
            // second batch's entries after the first's. A fresh writer per batch is correct.
            inputWriter = ArrowUtils.createRowDataArrowWriter(inputRoot, arrowInputType);
        } else {
            inputWriter.reset();
        }
        for (RowData row : rows) {
            inputWriter.write(inputRepair == null ? row : inputRepair.apply(row));
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

    @Override
    public void close() {
        outputRoot.close();
        inputRoot.close();
        allocator.close();
    }
}
