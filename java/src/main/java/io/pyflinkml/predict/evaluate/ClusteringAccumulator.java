package io.pyflinkml.predict.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every row's feature vector, by cluster: the Davies-Bouldin index needs each point's distance
 * to its cluster's final centroid, which no fixed-size summary gives exactly. So this state
 * grows with the rows of a group or window.
 */
public class ClusteringAccumulator implements TaskAccumulator {

    /** What numpy.allclose(x, 0) allows, as scikit-learn's davies_bouldin_score uses it. */
    private static final double ALL_CLOSE_TO_ZERO = 1e-8;

    public HashMap<String, ArrayList<double[]>> clusters = new HashMap<>();

    public long rows;

    /** The vectors' length, -1 before the first. */
    public int dimension = -1;

    public ClusteringAccumulator() {}

    @Override
    public void add(Object label, Object prediction) {
        String task = EvaluationTask.CLUSTERING.sqlName();
        double[] point = Vectors.toDoubles(label, task, "label (feature vector)");
        checkDimension(point.length);
        clusters.computeIfAbsent(String.valueOf(prediction), k -> new ArrayList<>()).add(point);
        rows++;
    }

    private void checkDimension(int length) {
        if (dimension >= 0 && dimension != length) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s('%s'): feature vectors of %d and %d values; they must have the"
                                    + " same length.",
                            MlEvaluateMetrics.NAME,
                            EvaluationTask.CLUSTERING.sqlName(),
                            dimension,
                            length));
        }
        dimension = length;
    }

    @Override
    public void merge(TaskAccumulator other) {
        ClusteringAccumulator that = (ClusteringAccumulator) other;
        that.clusters.forEach(
                (cluster, points) -> {
                    checkDimension(that.dimension);
                    clusters.computeIfAbsent(cluster, k -> new ArrayList<>()).addAll(points);
                });
        rows += that.rows;
    }

    @Override
    public long count() {
        return rows;
    }

    /** davies_bouldin is left out with fewer than two clusters, where it is undefined. */
    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (clusters.size() >= 2) {
            metrics.put("davies_bouldin", daviesBouldin());
        }
        return metrics;
    }

    private double daviesBouldin() {
        int k = clusters.size();
        double[][] centroids = new double[k][];
        double[] spread = new double[k]; // mean distance of a cluster's points to its centroid
        int c = 0;
        for (List<double[]> points : clusters.values()) {
            centroids[c] = centroid(points);
            double sum = 0;
            for (double[] point : points) {
                sum += distance(point, centroids[c]);
            }
            spread[c++] = sum / points.size();
        }
        double[][] between = new double[k][k];
        boolean allSpreadsZero = true;
        boolean allCentroidsTogether = true;
        for (int i = 0; i < k; i++) {
            allSpreadsZero &= Math.abs(spread[i]) <= ALL_CLOSE_TO_ZERO;
            for (int j = 0; j < k; j++) {
                between[i][j] = distance(centroids[i], centroids[j]);
                allCentroidsTogether &= between[i][j] <= ALL_CLOSE_TO_ZERO;
            }
        }
        if (allSpreadsZero || allCentroidsTogether) {
            return 0.0;
        }
        double total = 0;
        for (int i = 0; i < k; i++) {
            double worst = 0;
            for (int j = 0; j < k; j++) {
                // Coinciding centroids count as infinitely far apart, as in scikit-learn.
                if (j != i && between[i][j] != 0) {
                    worst = Math.max(worst, (spread[i] + spread[j]) / between[i][j]);
                }
            }
            total += worst;
        }
        return total / k;
    }

    private static double[] centroid(List<double[]> points) {
        double[] sum = new double[points.get(0).length];
        for (double[] point : points) {
            for (int d = 0; d < sum.length; d++) {
                sum[d] += point[d];
            }
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= points.size();
        }
        return sum;
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            double difference = a[d] - b[d];
            sum += difference * difference;
        }
        return Math.sqrt(sum);
    }
}
