package io.pyflinkml.predict.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums of the errors plus the labels' mean and sum of squared deviations, kept with Welford's
 * update and Chan's merge so that R2's denominator does not lose digits to cancellation.
 */
public class RegressionAccumulator implements TaskAccumulator {

    /** scikit-learn's floor for |label| in MAPE's denominator (numpy's float64 eps). */
    private static final double MAPE_EPSILON = Math.ulp(1.0);

    public long rows;
    public double absoluteErrors;
    public double squaredErrors;
    public double relativeErrors;
    public double labelMean;
    public double labelSquaredDeviations;

    public RegressionAccumulator() {}

    @Override
    public void add(Object label, Object prediction) {
        double y = ((Number) label).doubleValue();
        double error = ((Number) prediction).doubleValue() - y;
        absoluteErrors += Math.abs(error);
        squaredErrors += error * error;
        relativeErrors += Math.abs(error) / Math.max(Math.abs(y), MAPE_EPSILON);
        rows++;
        double delta = y - labelMean;
        labelMean += delta / rows;
        labelSquaredDeviations += delta * (y - labelMean);
    }

    @Override
    public void merge(TaskAccumulator other) {
        RegressionAccumulator that = (RegressionAccumulator) other;
        if (that.rows == 0) {
            return;
        }
        long total = rows + that.rows;
        double delta = that.labelMean - labelMean;
        labelSquaredDeviations +=
                that.labelSquaredDeviations + delta * delta * ((double) rows * that.rows / total);
        labelMean += delta * that.rows / total;
        absoluteErrors += that.absoluteErrors;
        squaredErrors += that.squaredErrors;
        relativeErrors += that.relativeErrors;
        rows = total;
    }

    @Override
    public long count() {
        return rows;
    }

    @Override
    public Map<String, Double> metrics() {
        double mse = squaredErrors / rows;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("mae", absoluteErrors / rows);
        metrics.put("mse", mse);
        metrics.put("rmse", Math.sqrt(mse));
        metrics.put("mape", relativeErrors / rows);
        if (rows >= 2) { // scikit-learn: R2 is not defined for one sample
            metrics.put("r2", r2());
        }
        return metrics;
    }

    /** As scikit-learn's force_finite: constant labels give 1 when predicted exactly, else 0. */
    private double r2() {
        if (labelSquaredDeviations == 0) {
            return squaredErrors == 0 ? 1.0 : 0.0;
        }
        return 1.0 - squaredErrors / labelSquaredDeviations;
    }
}
