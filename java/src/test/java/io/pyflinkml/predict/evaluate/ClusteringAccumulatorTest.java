package io.pyflinkml.predict.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClusteringAccumulatorTest {

    // scikit-learn's davies_bouldin_score: 4/9 for these points and clusters, 0.5 for the
    // first four alone.
    private static final double[][] POINTS = {{0, 0}, {0, 2}, {3, 1}, {5, 1}, {4, 4}};
    private static final int[] CLUSTERS = {0, 0, 1, 1, 2};

    private static ClusteringAccumulator of(int from, int to) {
        ClusteringAccumulator accumulator = new ClusteringAccumulator();
        for (int i = from; i < to; i++) {
            accumulator.add(new Double[] {POINTS[i][0], POINTS[i][1]}, CLUSTERS[i]);
        }
        return accumulator;
    }

    @Test
    void daviesBouldinIsScikitLearns() {
        assertEquals(4.0 / 9, of(0, 5).metrics().get("davies_bouldin"), 1e-12);
        assertEquals(0.5, of(0, 4).metrics().get("davies_bouldin"), 1e-12);
    }

    @Test
    void mergingPartsGivesTheWholesIndex() {
        ClusteringAccumulator whole = of(0, 3);
        whole.merge(of(3, 5));
        whole.merge(new ClusteringAccumulator());
        assertEquals(5, whole.count());
        assertEquals(4.0 / 9, whole.metrics().get("davies_bouldin"), 1e-12);
    }

    @Test
    void oneClusterHasNoIndex() {
        assertTrue(of(0, 2).metrics().isEmpty());
    }

    @Test
    void clustersOfOnePointEachScoreZero() {
        ClusteringAccumulator accumulator = new ClusteringAccumulator();
        accumulator.add(new float[] {0, 0}, "a");
        accumulator.add(new float[] {1, 1}, "b");
        assertEquals(0.0, accumulator.metrics().get("davies_bouldin"));
    }

    @Test
    void vectorsOfAnotherLengthAreRefused() {
        ClusteringAccumulator accumulator = of(0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> accumulator.add(new double[] {1, 2, 3}, 0));
        assertEquals("ML_EVALUATE_METRICS('clustering'): feature vectors of 2 and 3 values; they"
                + " must have the same length.", e.getMessage());
        ClusteringAccumulator other = new ClusteringAccumulator();
        other.add(new double[] {1}, 0);
        assertThrows(IllegalArgumentException.class, () -> accumulator.merge(other));
    }

    @Test
    void aNullElementIsRefusedWithItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClusteringAccumulator().add(new Double[] {1.0, null}, 0));
        assertTrue(e.getMessage().contains("has a NULL element at index 2"), e.getMessage());
    }
}
