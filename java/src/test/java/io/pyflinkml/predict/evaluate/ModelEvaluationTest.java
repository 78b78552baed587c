package io.pyflinkml.predict.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.TableEnvironments;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelEvaluationTest {

    private static TableEnvironment tEnv;

    @BeforeAll
    static void models() {
        tEnv = TableEnvironments.shared();
        tEnv.executeSql("CREATE MODEL IF NOT EXISTS eval_tasked INPUT (x INT)"
                + " OUTPUT (`error-string` STRING, label STRING, score DOUBLE)"
                + " WITH ('provider' = 'generic-python', 'task' = ' Classification ')");
        tEnv.executeSql("CREATE MODEL IF NOT EXISTS eval_untasked INPUT (x INT) OUTPUT (y DOUBLE)"
                + " WITH ('provider' = 'generic-python')");
        tEnv.executeSql("CREATE MODEL IF NOT EXISTS eval_versioned INPUT (x INT)"
                + " OUTPUT (`model-version` STRING, label STRING)"
                + " WITH ('provider' = 'generic-python', 'model-version' = 'latest')");
        tEnv.executeSql("CREATE MODEL IF NOT EXISTS eval_bad_task INPUT (x INT) OUTPUT (y DOUBLE)"
                + " WITH ('provider' = 'generic-python', 'task' = 'ranking')");
    }

    @Test
    void theTaskComesFromTheModelsOption() {
        assertEquals("classification", ModelEvaluation.task(tEnv, "eval_tasked", null));
    }

    @Test
    void anExplicitTaskOverridesTheModels() {
        assertEquals("regression", ModelEvaluation.task(tEnv, "eval_tasked", "REGRESSION"));
    }

    @Test
    void withoutAnyTaskTheMessageSaysHowToGiveOne() {
        String message = assertThrows(ValidationException.class,
                () -> ModelEvaluation.task(tEnv, "eval_untasked", null)).getMessage();
        assertTrue(message.startsWith("ML_EVALUATE on model 'eval_untasked': no task given"), message);
        assertTrue(message.contains("pass task => '...'"), message);
    }

    @Test
    void aBadTaskOptionIsNamedAsTheModelsOption() {
        String message = assertThrows(ValidationException.class,
                () -> ModelEvaluation.task(tEnv, "eval_bad_task", null)).getMessage();
        assertTrue(message.startsWith("Option 'task' of model 'eval_bad_task': unknown task"), message);
    }

    @Test
    void thePredictionIsTheFirstOutputColumnButTheErrorColumn() {
        // ML_PREDICT's row: input columns, then `error-string`, label, score: label is 2nd from the end.
        assertEquals(2, ModelEvaluation.predictionFromEnd(tEnv, "eval_tasked"));
        assertEquals(1, ModelEvaluation.predictionFromEnd(tEnv, "eval_untasked"));
    }

    @Test
    void theVersionColumnIsNoPredictionEither() {
        assertEquals(1, ModelEvaluation.predictionFromEnd(tEnv, "eval_versioned"));
    }

    @Test
    void anUnknownModelIsNamed() {
        assertEquals("ML_EVALUATE: there is no model 'nope'.",
                assertThrows(ValidationException.class,
                        () -> ModelEvaluation.task(tEnv, "nope", null)).getMessage());
    }
}
