package io.pyflinkml.predict.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EmbeddingAccumulatorTest {

    @Test
    void theMeanCosineSimilarityOfKnownVectors() {
        EmbeddingAccumulator accumulator = new EmbeddingAccumulator();
        accumulator.add(new double[] {1, 0}, new double[] {2, 0}); // 1
        accumulator.add(new Double[] {3.0, 4.0}, new Float[] {4f, 3f}); // 24/25
        accumulator.add(new float[] {1, 1}, new float[] {-1, -1}); // -1
        assertEquals((1 + 0.96 - 1) / 3, accumulator.metrics().get("mean_cosine_similarity"), 1e-7);
    }

    @Test
    void anAllZeroVectorCountsAsZero() {
        EmbeddingAccumulator accumulator = new EmbeddingAccumulator();
        accumulator.add(new double[] {0, 0}, new double[] {1, 2});
        accumulator.add(new double[] {1, 2}, new double[] {1, 2});
        assertEquals(0.5, accumulator.metrics().get("mean_cosine_similarity"), 1e-12);
    }

    @Test
    void mergingAddsRowsAndSums() {
        EmbeddingAccumulator a = new EmbeddingAccumulator();
        a.add(new double[] {1, 0}, new double[] {1, 0});
        EmbeddingAccumulator b = new EmbeddingAccumulator();
        b.add(new double[] {1, 0}, new double[] {0, 1});
        b.add(new double[] {0, 1}, new double[] {0, 1});
        a.merge(b);
        assertEquals(3, a.count());
        assertEquals(2.0 / 3, a.metrics().get("mean_cosine_similarity"), 1e-12);
    }

    @Test
    void embeddingsOfDifferentLengthsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingAccumulator().add(new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("embeddings of 2 and 1 values"), e.getMessage());
    }
}
