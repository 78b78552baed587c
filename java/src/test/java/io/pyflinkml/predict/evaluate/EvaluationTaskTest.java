package io.pyflinkml.predict.evaluate;

import static io.pyflinkml.predict.TestModels.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

class EvaluationTaskTest {

    @Test
    void namesAreCaseInsensitiveAndTrimmed() {
        assertEquals(EvaluationTask.TEXT_GENERATION, EvaluationTask.of(" Text_Generation ", "here"));
        assertEquals("'classification', 'regression', 'clustering', 'embedding', 'text_generation'",
                EvaluationTask.names());
    }

    @Test
    void eachTaskHasItsMetricsAndAccumulator() {
        assertEquals(Arrays.asList("mae", "mse", "rmse", "mape", "r2"), EvaluationTask.REGRESSION.metrics());
        assertInstanceOf(ClusteringAccumulator.class, EvaluationTask.CLUSTERING.newAccumulator());
        assertInstanceOf(TextGenerationAccumulator.class, EvaluationTask.TEXT_GENERATION.newAccumulator());
    }

    @ParameterizedTest(name = "{0}: {1} / {2}")
    @CsvSource(delimiter = '|', value = {
        "classification | INT | BIGINT | true",
        "classification | STRING | CHAR(1) | true",
        "classification | BOOLEAN | BOOLEAN | true",
        "classification | INT | STRING | false",
        "classification | DOUBLE | DOUBLE | false",
        "regression | INT | DECIMAL(10, 2) | true",
        "regression | STRING | DOUBLE | false",
        "clustering | ARRAY<FLOAT> | INT | true",
        "clustering | ARRAY<DOUBLE> | STRING | true",
        "clustering | ARRAY<INT> | INT | false",
        "embedding | ARRAY<DOUBLE> | ARRAY<FLOAT> | true",
        "embedding | ARRAY<DOUBLE> | DOUBLE | false",
        "text_generation | STRING | VARCHAR(5) | true",
        "text_generation | STRING | BYTES | false",
    })
    void eachTaskTakesItsArgumentTypes(String task, String label, String prediction, boolean fits) {
        RowType types = row("l " + label + ", p " + prediction);
        String problem = EvaluationTask.of(task, "test").argumentProblem(types.getTypeAt(0), types.getTypeAt(1));
        if (fits) {
            assertNull(problem);
        } else {
            assertTrue(problem.startsWith("task '" + task + "' takes "), problem);
        }
    }
}
