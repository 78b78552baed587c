package io.pyflinkml.predict.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

/** The sum of the rows' cosine similarities (0 where a vector is all zeros, as scikit-learn). */
public class EmbeddingAccumulator implements TaskAccumulator {

    public long rows;
    public double cosines;

    public EmbeddingAccumulator() {}

    @Override
    public void add(Object label, Object prediction) {
        String task = EvaluationTask.EMBEDDING.sqlName();
        double[] a = Vectors.toDoubles(label, task, "label");
        double[] b = Vectors.toDoubles(prediction, task, "prediction");
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s('%s'): label and prediction are embeddings of %d and %d values;"
                                    + " they must have the same length.",
                            MlEvaluateMetrics.NAME, task, a.length, b.length));
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        cosines += normA == 0 || normB == 0 ? 0.0 : dot / (Math.sqrt(normA) * Math.sqrt(normB));
        rows++;
    }

    @Override
    public void merge(TaskAccumulator other) {
        EmbeddingAccumulator that = (EmbeddingAccumulator) other;
        rows += that.rows;
        cosines += that.cosines;
    }

    @Override
    public long count() {
        return rows;
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("mean_cosine_similarity", cosines / rows);
        return metrics;
    }
}
