package io.pyflinkml.predict.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

class RegressionAccumulatorTest {

    private static RegressionAccumulator of(double[] labels, double[] predictions, int from, int to) {
        RegressionAccumulator accumulator = new RegressionAccumulator();
        for (int i = from; i < to; i++) {
            accumulator.add(labels[i], predictions[i]);
        }
        return accumulator;
    }

    // scikit-learn: r2_score 0.55, mean_absolute_percentage_error 0.2708333...
    private static final double[] LABELS = {1, 2, 3, 4};
    private static final double[] PREDICTIONS = {1.5, 2, 2, 5};

    private static void assertKnownMetrics(Map<String, Double> metrics) {
        assertEquals(Arrays.asList("mae", "mse", "rmse", "mape", "r2"),
                Arrays.asList(metrics.keySet().toArray()));
        assertEquals(0.625, metrics.get("mae"), 1e-12);
        assertEquals(0.5625, metrics.get("mse"), 1e-12);
        assertEquals(0.75, metrics.get("rmse"), 1e-12);
        assertEquals(0.2708333333333333, metrics.get("mape"), 1e-12);
        assertEquals(0.55, metrics.get("r2"), 1e-12);
    }

    @Test
    void errorsAndR2AreScikitLearns() {
        assertKnownMetrics(of(LABELS, PREDICTIONS, 0, 4).metrics());
    }

    @Test
    void mergingPartsGivesTheWholesMetrics() {
        RegressionAccumulator whole = new RegressionAccumulator();
        whole.merge(of(LABELS, PREDICTIONS, 0, 1));
        whole.merge(new RegressionAccumulator());
        whole.merge(of(LABELS, PREDICTIONS, 1, 4));
        assertEquals(4, whole.count());
        assertKnownMetrics(whole.metrics());
    }

    @Test
    void r2IsLeftOutForOneRow() {
        Map<String, Double> metrics = of(LABELS, PREDICTIONS, 0, 1).metrics();
        assertFalse(metrics.containsKey("r2"));
        assertEquals(0.5, metrics.get("mae"), 1e-12);
    }

    @Test
    void constantLabelsGiveR2OneOnlyWhenPredictedExactly() {
        double[] labels = {2, 2};
        assertEquals(1.0, of(labels, new double[] {2, 2}, 0, 2).metrics().get("r2"));
        assertEquals(0.0, of(labels, new double[] {2, 3}, 0, 2).metrics().get("r2"));
    }

    @Test
    void aZeroLabelDividesByMachineEpsilonAsScikitLearnDoes() {
        RegressionAccumulator accumulator = new RegressionAccumulator();
        accumulator.add(0, 1);
        assertEquals(1 / Math.ulp(1.0), accumulator.metrics().get("mape"), 1);
    }

    /** Welford and Chan keep R2's denominator exact where a naive sum of squares loses it. */
    @Test
    void r2KeepsItsDigitsForLargeLabels() {
        double[] labels = {1e9 + 1, 1e9 + 2, 1e9 + 3};
        double[] predictions = {1e9 + 1.1, 1e9 + 2.1, 1e9 + 3.1};
        RegressionAccumulator merged = of(labels, predictions, 0, 1);
        merged.merge(of(labels, predictions, 1, 3));
        assertEquals(0.985, merged.metrics().get("r2"), 1e-6);
        assertEquals(0.985, of(labels, predictions, 0, 3).metrics().get("r2"), 1e-6);
    }

    @Test
    void anyNumericTypeIsALabelOrPrediction() {
        RegressionAccumulator accumulator = new RegressionAccumulator();
        accumulator.add(1, 2L);
        accumulator.add(new java.math.BigDecimal("3.5"), 3.5f);
        assertEquals(0.5, accumulator.metrics().get("mae"), 1e-12);
    }
}
