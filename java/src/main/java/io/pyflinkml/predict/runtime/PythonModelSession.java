package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;
import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.arrow.ArrowBatchCodec;
import io.pyflinkml.predict.metrics.InferenceMetrics;
import io.pyflinkml.predict.transport.EmbeddedTransport;
import io.pyflinkml.predict.transport.ProcessTransport;
import io.pyflinkml.predict.transport.PythonTransport;
import io.pyflinkml.predict.wire.FlatBatchCodec;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One opened instance of the user's Python class, behind a transport: INIT once, then BATCH
 * requests, each answered by a RESULT in the order sent. Several batches may be under way: one
 * thread at a time sends, one at a time receives, and the two may differ. The message layout is
 * specified in {@code pyflink_ml_predict/runtime/protocol.py}.
 */
final class PythonModelSession implements AutoCloseable {

    static final byte INIT = 1;
    static final byte BATCH = 2;
    static final byte READY = 11;
    static final byte RESULT = 12;
    static final byte ERROR = 13;
    /** Ends the INIT subtask of a shared worker: "index/workers/taskmanager". */
    static final String SHARED_SUFFIX = "/taskmanager";
    /** How the rows of a BATCH or RESULT are laid out. */
    static final byte ARROW = 0;
    static final byte FLAT = 1;

    private final ModelConfig config;
    private final ArrowBatchCodec codec;
    private final String inputKinds;
    private final FlatBatchCodec.Reader flatOutput;
    private final PythonTransport transport;
    private final CallWatchdog watchdog;
    private final ResultRows resultRows;
    private final InferenceMetrics metrics;
    // When each batch under way was sent, oldest first (answers come in that order).
    private final Queue<Long> sentNanos = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private boolean lostReported;
    private FlatBatchCodec.Writer flatInput; // set at INIT when Python takes flat batches
    private boolean vectorized; // told at INIT: the class has a large fixed cost per call

    private PythonModelSession(
            ModelConfig config,
            ArrowBatchCodec codec,
            PythonTransport transport,
            String name,
            InferenceMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.codec = codec;
        this.inputKinds = FlatBatchCodec.kinds(config.inputType());
        String outputKinds = FlatBatchCodec.kinds(config.outputType());
        this.flatOutput = outputKinds == null ? null : new FlatBatchCodec.Reader(outputKinds);
        this.transport = transport;
        // Only a worker process can be stopped from outside, so only it gets a watchdog.
        this.watchdog =
                config.executionMode() == ExecutionMode.PROCESS
                        ? new CallWatchdog(name, transport)
                        : null;
        this.resultRows = new ResultRows(config);
    }

    /**
     * Starts Python, loads and opens the class; fails with the Python error if that fails.
     * {@code subtask} is "index/parallelism", or "index/workers/taskmanager" for a shared worker.
     */
    static PythonModelSession open(ModelConfig config, String subtask, InferenceMetrics metrics)
            throws Exception {
        long start = System.nanoTime();
        String name =
                config.describe()
                        + (subtask.endsWith(SHARED_SUFFIX)
                                ? " shared worker "
                                        + subtask.substring(0, subtask.length() - SHARED_SUFFIX.length())
                                : " subtask " + subtask);
        ArrowBatchCodec codec = new ArrowBatchCodec(name, config.inputType(), config.outputType());
        PythonTransport transport = null;
        try {
            transport =
                    config.executionMode() == ExecutionMode.THREAD
                            ? new EmbeddedTransport(name, config.launch())
                            : new ProcessTransport(name, config.launch());
            PythonModelSession session =
                    new PythonModelSession(config, codec, transport, name, metrics);
            try {
                session.init(subtask);
            } catch (Exception e) {
                session.close();
                throw e;
            }
            metrics.workerOpened(System.nanoTime() - start);
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
        byte[] request =
                initMessage(
                        config.toJson(),
                        subtask,
                        inputKinds,
                        FlatBatchCodec.kinds(config.outputType()),
                        codec.inputSchemaBytes(),
                        codec.outputSchemaBytes());
        // Opening may legitimately take long (loading weights): only cancellation stops it.
        ByteBuffer response = ByteBuffer.wrap(call(request, "opening the model", null));
        expect(response, READY);
        if (response.get() == FLAT) {
            flatInput = new FlatBatchCodec.Writer(inputKinds);
        }
        vectorized = response.get() == 1;
        int length = response.getInt();
        metrics.user().apply(response.array(), response.position(), length);
    }

    /** An INIT message; kinds are null for a schema without a flat form. */
    static byte[] initMessage(
            String configJson,
            String subtask,
            String inputKinds,
            String outputKinds,
            byte[] inputSchema,
            byte[] outputSchema)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(INIT);
        writeChunk(out, configJson.getBytes(StandardCharsets.UTF_8));
        writeChunk(out, subtask.getBytes(StandardCharsets.UTF_8));
        writeChunk(out, kindBytes(inputKinds));
        writeChunk(out, kindBytes(outputKinds));
        writeChunk(out, inputSchema);
        out.write(outputSchema);
        return bytes.toByteArray();
    }

    /** Whether the class is vectorized: it predicts a batch at a large fixed cost per call. */
    boolean vectorized() {
        return vectorized;
    }

    private static void writeChunk(DataOutputStream out, byte[] chunk) throws IOException {
        out.writeInt(chunk.length);
        out.write(chunk);
    }

    /** A schema without a flat form is sent as no kinds at all. */
    private static byte[] kindBytes(String kinds) {
        return kinds == null ? new byte[0] : kinds.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] call(byte[] request, String activity, Duration timeout) throws IOException {
        send(request, activity, timeout);
        return receiveBytes();
    }

    private void send(byte[] request, String activity, Duration timeout) throws IOException {
        if (watchdog == null) {
            transport.send(request);
            return;
        }
        watchdog.sent(activity, timeout);
        watchdog.blocking();
        try {
            transport.send(request);
        } catch (IOException e) {
            lost();
            throw explained(e);
        } finally {
            watchdog.unblocked();
        }
    }

    private byte[] receiveBytes() throws IOException {
        if (watchdog == null) {
            return transport.receive();
        }
        watchdog.blocking();
        try {
            byte[] response = transport.receive();
            watchdog.answered();
            return response;
        } catch (IOException e) {
            lost();
            throw explained(e);
        } finally {
            watchdog.unblocked();
        }
    }

    /** The worker ended while in use, and not because this side stopped it: a crash. */
    private synchronized void lost() {
        if (!stopping && !lostReported) {
            lostReported = true;
            metrics.workerLost();
        }
    }

    /** A worker the watchdog stopped fails with the watchdog's reason. */
    private IOException explained(IOException e) {
        String reason = watchdog.reason();
        if (reason != null) {
            throw new PythonModelException(reason + ".\n" + e.getMessage(), e);
        }
        return e;
    }

    /**
     * Sends a batch of input rows without waiting for its answer; {@link #receive} collects
     * answers in the order batches were sent.
     */
    void send(List<RowData> inputs) throws IOException {
        byte[] rows = flatInput != null ? flatInput.encode(inputs) : codec.encode(inputs);
        byte[] request = new byte[rows.length + 2];
        request[0] = BATCH;
        request[1] = flatInput != null ? FLAT : ARROW;
        System.arraycopy(rows, 0, request, 2, rows.length);
        // Queued before sending: the answer may be read on another thread at once.
        sentNanos.add(System.nanoTime());
        metrics.sent(inputs.size());
        send(request, "predicting a batch of " + inputs.size() + " rows", config.timeout());
    }

    /** One batch: sends it and waits for its answer (nothing else may be under way). */
    List<List<RowData>> predict(List<RowData> inputs) throws IOException {
        send(inputs);
        return receive(inputs.size());
    }

    /**
     * The answer to the oldest batch under way, which had {@code size} rows: for each input row,
     * the (possibly empty) list of its output rows, each with the declared OUTPUT columns.
     */
    List<List<RowData>> receive(int size) throws IOException {
        return receiveAnswer(size).rows;
    }

    /** {@link #receive}, and which rows the error policy skipped. */
    Answer receiveAnswer(int size) throws IOException {
        Long sent = sentNanos.poll();
        Result result;
        try {
            result = Result.read(ByteBuffer.wrap(receiveBytes()), size, config.describe());
        } catch (IOException | RuntimeException e) {
            metrics.failed(size);
            throw e;
        }
        long nanos = sent == null ? 0 : System.nanoTime() - sent;
        metrics.user().apply(result.bytes, result.metricsOffset, result.metricsLength);
        List<RowData> outputs =
                result.encoding == FLAT
                        ? flatOutput.decode(result.bytes, result.rowsOffset, result.rowsLength())
                        : codec.decode(result.bytes, result.rowsOffset, result.rowsLength());
        List<List<RowData>> results = new ArrayList<>(size);
        int next = 0;
        int nextError = 0;
        int produced = 0;
        for (int n : result.counts) {
            List<RowData> rows;
            if (n < 0) {
                rows = resultRows.ignored(result.errors[nextError++]);
            } else {
                rows = resultRows.predicted(outputs.subList(next, next + n), result.version);
                next += n;
            }
            produced += rows.size();
            results.add(rows);
        }
        metrics.answered(nanos, size - nextError, nextError, produced, result.retries);
        return new Answer(results, result.counts, result.retries);
    }

    /** One batch's answer: each row's output rows; a count of -1 marks a skipped row. */
    static final class Answer {
        final List<List<RowData>> rows;
        final int[] counts;
        final int retries;

        Answer(List<List<RowData>> rows, int[] counts, int retries) {
            this.rows = rows;
            this.counts = counts;
            this.retries = retries;
        }
    }

    /**
     * A RESULT message, split: counts, errors of skipped rows, retries, where the metric
     * updates are and where the rows are.
     */
    static final class Result {
        final int[] counts;
        final String[] errors;
        final int retries;
        final int metricsOffset;
        final int metricsLength;
        final StringData version; // null for an unversioned model
        final byte encoding;
        final byte[] bytes;
        final int rowsOffset;

        private Result(
                int[] counts,
                String[] errors,
                int retries,
                int metricsOffset,
                int metricsLength,
                StringData version,
                byte encoding,
                byte[] bytes,
                int offset) {
            this.counts = counts;
            this.errors = errors;
            this.retries = retries;
            this.metricsOffset = metricsOffset;
            this.metricsLength = metricsLength;
            this.version = version;
            this.encoding = encoding;
            this.bytes = bytes;
            this.rowsOffset = offset;
        }

        int rowsLength() {
            return bytes.length - rowsOffset;
        }

        static Result read(ByteBuffer response, int size, String model) {
            expect(response, RESULT, model);
            int count = response.getInt();
            if (count != size) {
                throw new IllegalStateException(
                        String.format(
                                "Python answered %d rows for a batch of %d (%s)",
                                count, size, model));
            }
            int[] counts = new int[count];
            int failed = 0;
            for (int i = 0; i < count; i++) {
                counts[i] = response.getInt();
                failed += counts[i] < 0 ? 1 : 0;
            }
            // A count of -1 marks a row the error policy skipped; its error text follows.
            String[] errors = new String[failed];
            for (int i = 0; i < failed; i++) {
                byte[] text = new byte[response.getInt()];
                response.get(text);
                errors[i] = new String(text, StandardCharsets.UTF_8);
            }
            int retries = response.getInt();
            int metricsLength = response.getInt();
            int metricsOffset = response.position();
            response.position(metricsOffset + metricsLength);
            byte[] versionText = new byte[response.getInt()];
            response.get(versionText);
            StringData version =
                    versionText.length == 0 ? null : StringData.fromBytes(versionText);
            byte encoding = response.get();
            return new Result(
                    counts,
                    errors,
                    retries,
                    metricsOffset,
                    metricsLength,
                    version,
                    encoding,
                    response.array(),
                    response.position());
        }
    }

    private void expect(ByteBuffer response, byte type) {
        expect(response, type, config.describe());
    }

    private static void expect(ByteBuffer response, byte type, String model) {
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
                    "Unexpected message " + actual + " from Python for " + model);
        }
    }

    /** Stops Python; a round trip under way on another thread then fails promptly. */
    void stopPython() {
        stopping = true;
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
