package io.pyflinkml.predict.evaluate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per class: rows labelled with it, rows predicted as it, and rows that are both. That is all
 * accuracy and the macro-averaged precision, recall and F1 need (scikit-learn's
 * average='macro' over the classes seen in labels or predictions; a class never predicted has
 * precision 0, one never labelled recall 0, as scikit-learn's zero_division default gives).
 */
public class ClassificationAccumulator implements TaskAccumulator {

    private static final int CORRECT = 0;
    private static final int LABELLED = 1;
    private static final int PREDICTED = 2;

    /** Class (its value as text; label and prediction are of one type family) to counts. */
    public HashMap<String, long[]> classes = new HashMap<>();

    public long rows;

    public ClassificationAccumulator() {}

    @Override
    public void add(Object label, Object prediction) {
        String truth = String.valueOf(label);
        String predicted = String.valueOf(prediction);
        counts(truth)[LABELLED]++;
        counts(predicted)[PREDICTED]++;
        if (truth.equals(predicted)) {
            counts(truth)[CORRECT]++;
        }
        rows++;
    }

    private long[] counts(String value) {
        return classes.computeIfAbsent(value, k -> new long[3]);
    }

    @Override
    public void merge(TaskAccumulator other) {
        ClassificationAccumulator that = (ClassificationAccumulator) other;
        that.classes.forEach(
                (value, counts) -> {
                    long[] mine = counts(value);
                    for (int i = 0; i < mine.length; i++) {
                        mine[i] += counts[i];
                    }
                });
        rows += that.rows;
    }

    @Override
    public long count() {
        return rows;
    }

    @Override
    public Map<String, Double> metrics() {
        long correct = 0;
        double precision = 0;
        double recall = 0;
        double f1 = 0;
        for (long[] c : classes.values()) {
            correct += c[CORRECT];
            precision += ratio(c[CORRECT], c[PREDICTED]);
            recall += ratio(c[CORRECT], c[LABELLED]);
            // 2PR/(P+R) written on counts: 2 TP / (labelled + predicted).
            f1 += ratio(2 * c[CORRECT], c[LABELLED] + c[PREDICTED]);
        }
        int n = classes.size();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", (double) correct / rows);
        metrics.put("precision", precision / n);
        metrics.put("recall", recall / n);
        metrics.put("f1", f1 / n);
        return metrics;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
