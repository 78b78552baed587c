package io.pyflinkml.predict.evaluate;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.TableEnvironments;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ML_EVALUATE_METRICS's plan-time checks, through the planner (planned only, never run). */
class EvaluateArgumentsTest {

    private static TableEnvironment tEnv;

    @BeforeAll
    static void register() {
        tEnv = TableEnvironments.shared();
        tEnv.executeSql(MlEvaluateMetrics.REGISTER);
        tEnv.executeSql("CREATE TEMPORARY VIEW IF NOT EXISTS scored AS SELECT * FROM (VALUES"
                + " (1, 2, 'a', 'b', 1.5, CAST(ARRAY[1.0, 2.0] AS ARRAY<DOUBLE>))) AS t(l, p, ls, ps, d, v)");
    }

    private static String refusal(String call) {
        ValidationException e = assertThrows(ValidationException.class,
                () -> tEnv.explainSql("SELECT " + call + " FROM scored"));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void aCallWhoseTypesFitItsTaskIsPlanned() {
        tEnv.explainSql("SELECT ML_EVALUATE_METRICS('classification', l, p),"
                + " ML_EVALUATE_METRICS('regression', d, l),"
                + " ML_EVALUATE_METRICS('embedding', v, v) FROM scored");
    }

    @Test
    void typesThatDoNotFitTheTaskAreRefusedSayingWhatItTakes() {
        String message = refusal("ML_EVALUATE_METRICS('regression', ls, d)");
        assertTrue(message.contains("ML_EVALUATE_METRICS('regression', label, prediction): task"
                + " 'regression' takes numeric label and prediction"), message);
    }

    @Test
    void theTaskMustBeAKnownStringLiteral() {
        assertTrue(refusal("ML_EVALUATE_METRICS(ls, l, p)").contains("the task must be a string literal"));
        assertTrue(refusal("ML_EVALUATE_METRICS('ranking', l, p)").contains("unknown task 'ranking'"));
    }
}
