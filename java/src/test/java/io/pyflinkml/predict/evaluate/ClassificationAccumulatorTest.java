package io.pyflinkml.predict.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

class ClassificationAccumulatorTest {

    // Labels and predictions whose macro metrics scikit-learn gives as accuracy 0.5,
    // precision 1/3, recall 0.5, f1 7/18 (zero_division=0).
    private static final List<String[]> ROWS = Arrays.asList(
            new String[] {"a", "a"}, new String[] {"a", "b"},
            new String[] {"b", "b"}, new String[] {"c", "a"});

    private static ClassificationAccumulator of(List<String[]> rows) {
        ClassificationAccumulator accumulator = new ClassificationAccumulator();
        for (String[] row : rows) {
            accumulator.add(row[0], row[1]);
        }
        return accumulator;
    }

    static void assertMetrics(double[] expected, Map<String, Double> metrics) {
        assertEquals(Arrays.asList("accuracy", "precision", "recall", "f1"),
                Arrays.asList(metrics.keySet().toArray()));
        assertEquals(expected[0], metrics.get("accuracy"), 1e-12);
        assertEquals(expected[1], metrics.get("precision"), 1e-12);
        assertEquals(expected[2], metrics.get("recall"), 1e-12);
        assertEquals(expected[3], metrics.get("f1"), 1e-12);
    }

    @Test
    void macroMetricsAreScikitLearns() {
        ClassificationAccumulator accumulator = of(ROWS);
        assertEquals(4, accumulator.count());
        assertMetrics(new double[] {0.5, 1.0 / 3, 0.5, 7.0 / 18}, accumulator.metrics());
    }

    @Test
    void mergingPartsGivesTheWholesMetrics() {
        ClassificationAccumulator first = of(ROWS.subList(0, 1));
        first.merge(of(ROWS.subList(1, 4)));
        first.merge(new ClassificationAccumulator());
        assertEquals(4, first.count());
        assertMetrics(new double[] {0.5, 1.0 / 3, 0.5, 7.0 / 18}, first.metrics());
    }

    @Test
    void integersOfDifferentWidthsAreTheSameClass() {
        ClassificationAccumulator accumulator = new ClassificationAccumulator();
        accumulator.add(1, 1L);
        accumulator.add((short) 2, 2L);
        assertMetrics(new double[] {1, 1, 1, 1}, accumulator.metrics());
    }

    @Test
    void booleansAreTwoClasses() {
        ClassificationAccumulator accumulator = new ClassificationAccumulator();
        accumulator.add(true, true);
        accumulator.add(true, false);
        // true: P 1/1, R 1/2, F1 2/3; false: P 0/1, R 0 (never labelled), F1 0.
        assertMetrics(new double[] {0.5, 0.5, 0.25, 1.0 / 3}, accumulator.metrics());
    }
}
