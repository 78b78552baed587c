package io.pyflinkml.predict.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pyflinkml.predict.TableEnvironments;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.types.logical.RawType;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

class MlEvaluateMetricsTest {

    private final MlEvaluateMetrics function = new MlEvaluateMetrics();

    @Test
    void rowsWithoutLabelOrPredictionAreSkipped() {
        MetricsAccumulator acc = function.createAccumulator();
        function.accumulate(acc, "regression", null, 1.0);
        function.accumulate(acc, "regression", 1.0, null);
        assertNull(function.getValue(acc), "a group without a complete row gives NULL");
        function.accumulate(acc, "regression", 2.0, 1.0);
        assertEquals(1.0, function.getValue(acc).get("count"));
    }

    @Test
    void theResultHoldsTheTasksMetricsAndTheCount() {
        MetricsAccumulator acc = function.createAccumulator();
        function.accumulate(acc, " Classification ", "a", "a");
        function.accumulate(acc, "classification", "b", "a");
        Map<String, Double> value = function.getValue(acc);
        assertEquals(Arrays.asList("accuracy", "precision", "recall", "f1", "count"),
                Arrays.asList(value.keySet().toArray()));
        assertEquals(0.5, value.get("accuracy"));
        assertEquals(2.0, value.get("count"));
        assertEquals(EvaluationTask.CLASSIFICATION, acc.task);
    }

    /** A slice of a HOP window is merged into fresh accumulators of several windows. */
    @Test
    void mergingIntoAFreshAccumulatorTakesTheTaskFromTheParts() {
        MetricsAccumulator a = function.createAccumulator();
        function.accumulate(a, "embedding", new double[] {1, 0}, new double[] {1, 0});
        MetricsAccumulator b = function.createAccumulator();
        function.accumulate(b, "embedding", new double[] {1, 0}, new double[] {0, 1});
        MetricsAccumulator window = function.createAccumulator();
        function.merge(window, Arrays.asList(function.createAccumulator(), a, b));
        assertEquals(EvaluationTask.EMBEDDING, window.task);
        assertEquals(0.5, function.getValue(window).get("mean_cosine_similarity"));
        assertEquals(2.0, function.getValue(window).get("count"));
        // The parts are left as they were.
        assertEquals(1.0, function.getValue(a).get("count"));
    }

    @Test
    void mergingNothingLeavesNothing() {
        MetricsAccumulator acc = function.createAccumulator();
        function.merge(acc, Collections.singletonList(function.createAccumulator()));
        assertNull(function.getValue(acc));
    }

    @Test
    void anUnknownTaskFailsOnTheFirstRow() {
        MetricsAccumulator acc = function.createAccumulator();
        ValidationException e = assertThrows(ValidationException.class,
                () -> function.accumulate(acc, "ranking", 1, 1));
        assertEquals("ML_EVALUATE_METRICS: unknown task 'ranking'; the tasks are 'classification',"
                + " 'regression', 'clustering', 'embedding', 'text_generation'.", e.getMessage());
    }

    /** Flink keeps the accumulator in state with the serializer of its RAW type. */
    @Test
    void everyTasksAccumulatorSurvivesTheStateSerializer() throws Exception {
        TableEnvironmentImpl tEnv = (TableEnvironmentImpl) TableEnvironments.shared();
        @SuppressWarnings("unchecked")
        TypeSerializer<MetricsAccumulator> serializer = (TypeSerializer<MetricsAccumulator>)
                ((RawType<?>) tEnv.getCatalogManager().getDataTypeFactory()
                        .createRawDataType(MetricsAccumulator.class).getLogicalType())
                        .getTypeSerializer();
        Object[][] rows = {
            {"classification", "a", "b"}, {"regression", 1.0, 2.5},
            {"clustering", new double[] {1, 2}, 3}, {"embedding", new float[] {1, 0}, new float[] {1, 1}},
            {"text_generation", "a b c d e", "a b c d"},
        };
        for (Object[] row : rows) {
            MetricsAccumulator acc = function.createAccumulator();
            function.accumulate(acc, (String) row[0], row[1], row[2]);
            function.accumulate(acc, (String) row[0], row[1], row[2]);
            DataOutputSerializer out = new DataOutputSerializer(256);
            serializer.serialize(acc, out);
            MetricsAccumulator back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertEquals(function.getValue(acc), function.getValue(back), (String) row[0]);
            function.accumulate(back, (String) row[0], row[1], row[2]);
            assertEquals(3.0, function.getValue(back).get("count"), "it goes on accumulating");
        }
    }

    @Test
    void theRegisteringStatementNamesThisClass() {
        assertEquals("CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS ML_EVALUATE_METRICS AS"
                + " 'io.pyflinkml.predict.evaluate.MlEvaluateMetrics'", MlEvaluateMetrics.REGISTER);
    }
}
