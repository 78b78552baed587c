package io.pyflinkml.predict.runtime;

import static io.pyflinkml.predict.runtime.PythonWorkers.x;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pyflinkml.predict.metrics.InferenceMetrics;
import io.pyflinkml.predict.metrics.RecordingMetricGroup;
import io.pyflinkml.predict.wire.FlatBatchCodec;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The messages of pyflink_ml_predict/runtime/protocol.py, and one session with a real worker. */
class PythonModelSessionTest {

    private static byte[] chunk(ByteBuffer message) {
        byte[] chunk = new byte[message.getInt()];
        message.get(chunk);
        return chunk;
    }

    @Test
    void initCarriesConfigSubtaskKindsAndBothSchemas() throws Exception {
        byte[] message = PythonModelSession.initMessage(
                "{\"model_name\": \"m\"}", "1/2", "iq", null, new byte[] {7, 7}, new byte[] {9});
        ByteBuffer in = ByteBuffer.wrap(message);
        assertEquals(PythonModelSession.INIT, in.get());
        assertEquals("{\"model_name\": \"m\"}", new String(chunk(in), StandardCharsets.UTF_8));
        assertEquals("1/2", new String(chunk(in), StandardCharsets.UTF_8));
        assertEquals("iq", new String(chunk(in), StandardCharsets.US_ASCII));
        assertEquals(0, chunk(in).length, "no output kinds: the output takes Arrow");
        assertArrayEquals(new byte[] {7, 7}, chunk(in));
        assertEquals(9, in.get(), "the output schema runs to the end");
        assertEquals(0, in.remaining());
    }

    /** A RESULT Python's protocol.result wrote (resources/wire/python_result.bin). */
    @Test
    void javaReadsTheResultPythonWrote() throws Exception {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/wire/python_result.bin")) {
            bytes = in.readAllBytes();
        }
        PythonModelSession.Result result =
                PythonModelSession.Result.read(ByteBuffer.wrap(bytes), 3, "model 'm'");
        assertArrayEquals(new int[] {1, -1, 1}, result.counts);
        assertArrayEquals(new String[] {"ValueError: bad row"}, result.errors);
        assertEquals(2, result.retries);
        assertEquals("{\"new\":[],\"values\":[[0,5]]}",
                new String(result.bytes, result.metricsOffset, result.metricsLength, StandardCharsets.UTF_8));
        assertEquals(StringData.fromString("12"), result.version);
        assertEquals(PythonModelSession.FLAT, result.encoding);
        List<RowData> rows = new FlatBatchCodec.Reader("is")
                .decode(result.bytes, result.rowsOffset, result.rowsLength());
        assertEquals(Arrays.asList(GenericRowData.of(1, StringData.fromString("a")), GenericRowData.of(3, null)),
                rows);
    }

    @Test
    void anAnswerForAnotherNumberOfRowsIsRefused() throws Exception {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/wire/python_result.bin")) {
            bytes = in.readAllBytes();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PythonModelSession.Result.read(ByteBuffer.wrap(bytes), 2, "model 'm'"));
        assertEquals("Python answered 3 rows for a batch of 2 (model 'm')", e.getMessage());
    }

    @Test
    void anErrorMessageBecomesThePythonErrorAndAnythingElseIsAProtocolError() {
        byte[] traceback = "Traceback ...\nValueError: no".getBytes(StandardCharsets.UTF_8);
        ByteBuffer error = ByteBuffer.allocate(1 + traceback.length).put(PythonModelSession.ERROR).put(traceback);
        PythonModelException e = assertThrows(PythonModelException.class,
                () -> PythonModelSession.Result.read(ByteBuffer.wrap(error.array()), 1, "model 'm'"));
        assertEquals("Traceback ...\nValueError: no", e.getMessage());
        IllegalStateException unexpected = assertThrows(IllegalStateException.class,
                () -> PythonModelSession.Result.read(
                        ByteBuffer.wrap(new byte[] {PythonModelSession.READY}), 1, "model 'm'"));
        assertEquals("Unexpected message 11 from Python for model 'm'", unexpected.getMessage());
    }

    @Test
    @Timeout(60)
    void aSessionPipelinesBatchesAndCountsThem() throws Exception {
        RecordingMetricGroup group = new RecordingMetricGroup();
        InferenceMetrics metrics = InferenceMetrics.forSubtask(group, "m");
        try (PythonModelSession session = PythonModelSession.open(
                PythonWorkers.model("Batches").build(), "0/1", metrics)) {
            session.send(Arrays.asList(x(1), x(2)));
            session.send(Arrays.asList(x(3)));
            assertEquals(GenericRowData.of(2, 2), session.receive(2).get(1).get(0));
            assertEquals(GenericRowData.of(3, 1), session.receive(1).get(0).get(0));
            assertEquals(GenericRowData.of(null, 1), session.predict(Arrays.asList(x(null))).get(0).get(0));
            assertEquals(4, group.count("model_inference.inference_requests"));
            assertEquals(3, group.count("model_inference.inference_batches"));
            assertEquals(4, group.count("model_inference.inference_rows_output"));
        }
    }
}
