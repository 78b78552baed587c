package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;
import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.arrow.ArrowBatchCodec;
import io.pyflinkml.predict.transport.EmbeddedTransport;
import io.pyflinkml.predict.transport.ProcessTransport;
import io.pyflinkml.predict.transport.PythonTransport;

import org.apache.flink.table.data.RowData;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One opened instance of the user's Python class, behind a transport: INIT once, then one BATCH
 * round trip per batch. The message layout mirrors {@code pyflink_ml_predict/runtime/protocol.py}.
 * Not thread-safe: one caller thread at a time.
 */
final class PythonModelSession implements AutoCloseable {

    static final byte INIT = 1;
    static final byte BATCH = 2;
    static final byte READY = 11;
    static final byte RESULT = 12;
    static final byte ERROR = 13;

    private final ModelConfig config;
    private final ArrowBatchCodec codec;
    private final PythonTransport transport;
    private final CallWatchdog watchdog;
    private final ResultRows resultRows;

    private PythonModelSession(
            ModelConfig config, ArrowBatchCodec codec, PythonTransport transport, String name) {
        this.config = config;
        this.codec = codec;
        this.transport = transport;
        // Only a worker process can be stopped from outside, so only it gets a watchdog.
        this.watchdog =
                config.executionMode() == ExecutionMode.PROCESS
                        ? new CallWatchdog(name, transport)
                        : null;
        this.resultRows = new ResultRows(config);
    }

    /** Starts Python, loads and opens the class; fails with the Python error if that fails. */
    static PythonModelSession open(ModelConfig config, String subtask) throws Exception {
        String name = config.describe() + " subtask " + subtask;
        ArrowBatchCodec codec = new ArrowBatchCodec(name, config.inputType(), config.outputType());
        PythonTransport transport = null;
        try {
            transport =
                    config.executionMode() == ExecutionMode.THREAD
                            ? new EmbeddedTransport(name, config.pythonExecutable())
                            : new ProcessTransport(name, config.pythonExecutable());
            PythonModelSession session = new PythonModelSession(config, codec, transport, name);
            try {
                session.init(subtask);
            } catch (Exception e) {
                session.close();
                throw e;
            }
            return session;
        } catch (Exception e) {
            if (transport != null) {
                transport.close();
            }
            codec.close();
            throw e;
        }
    }

    private void init(String subtask) throws IOException {
        byte[] json = config.toJson().getBytes(StandardCharsets.UTF_8);
        byte[] subtaskBytes = subtask.getBytes(StandardCharsets.UTF_8);
        byte[] inputSchema = codec.inputSchemaBytes();
        byte[] outputSchema = codec.outputSchemaBytes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(INIT);
        out.writeInt(json.length);
        out.write(json);
        out.writeInt(subtaskBytes.length);
        out.write(subtaskBytes);
        out.writeInt(inputSchema.length);
        out.write(inputSchema);
        out.write(outputSchema);
        // Opening may legitimately take long (loading weights): only cancellation stops it.
        ByteBuffer response = ByteBuffer.wrap(call(bytes.toByteArray(), "opening the model", null));
        expect(response, READY);
    }

    private byte[] call(byte[] request, String activity, Duration timeout)
            throws IOException {
        if (watchdog == null) {
            return transport.call(request);
        }
        watchdog.begin(activity, timeout);
        try {
            return transport.call(request);
        } catch (IOException e) {
            String reason = watchdog.reason();
            if (reason != null) {
                throw new PythonModelException(reason + ".\n" + e.getMessage(), e);
            }
            throw e;
        } finally {
            watchdog.end();
        }
    }

    /**
     * Predicts a batch: for each input row, the (possibly empty) list of its output rows, each
     * with the declared OUTPUT columns.
     */
    List<List<RowData>> predict(List<RowData> inputs) throws IOException {
        byte[] arrow = codec.encode(inputs);
        byte[] request = new byte[arrow.length + 1];
        request[0] = BATCH;
        System.arraycopy(arrow, 0, request, 1, arrow.length);
        ByteBuffer response =
                ByteBuffer.wrap(
                        call(
                                request,
                                "predicting a batch of " + inputs.size() + " rows",
                                config.timeout()));
        expect(response, RESULT);
        int count = response.getInt();
        if (count != inputs.size()) {
            throw new IllegalStateException(
                    String.format(
                            "Python answered %d rows for a batch of %d (%s)",
                            count, inputs.size(), config.describe()));
        }
        int[] perInput = new int[count];
        int failed = 0;
        for (int i = 0; i < count; i++) {
            perInput[i] = response.getInt();
            failed += perInput[i] < 0 ? 1 : 0;
        }
        // A count of -1 marks a row the error policy skipped; its error text follows.
        String[] errors = new String[failed];
        for (int i = 0; i < failed; i++) {
            byte[] text = new byte[response.getInt()];
            response.get(text);
            errors[i] = new String(text, StandardCharsets.UTF_8);
        }
        List<RowData> outputs =
                codec.decode(response.array(), response.position(), response.remaining());
        List<List<RowData>> results = new ArrayList<>(count);
        int next = 0;
        int nextError = 0;
        for (int n : perInput) {
            if (n < 0) {
                results.add(resultRows.ignored(errors[nextError++]));
            } else {
                results.add(resultRows.predicted(outputs.subList(next, next + n)));
                next += n;
            }
        }
        return results;
    }

    private void expect(ByteBuffer response, byte type) {
        byte actual = response.get();
        if (actual == ERROR) {
            String message =
                    new String(
                            response.array(),
                            response.position(),
                            response.remaining(),
                            StandardCharsets.UTF_8);
            throw new PythonModelException(message);
        }
        if (actual != type) {
            throw new IllegalStateException(
                    "Unexpected message " + actual + " from Python for " + config.describe());
        }
    }

    /** Stops Python; a round trip under way on another thread then fails promptly. */
    void stopPython() {
        transport.close();
    }

    /**
     * Closes in reverse order of opening: Python first, then Arrow memory. Call it once no
     * other thread uses the session.
     */
    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.close();
        }
        stopPython();
        codec.close();
    }
}
