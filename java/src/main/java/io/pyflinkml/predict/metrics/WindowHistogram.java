package io.pyflinkml.predict.metrics;

import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogramStatistics;

/**
 * A histogram over the latest {@link #WINDOW} values, as Flink's {@code
 * DescriptiveStatisticsHistogram} (whose statistics it reuses), but of doubles: a sub-millisecond
 * latency or a confidence of 0.93 keeps its fraction in the mean and the quantiles. Its count
 * is every value ever added. Adding and reading are synchronized (a shared worker's threads
 * may add to one subtask's histogram, reporters read from their own).
 */
public final class WindowHistogram implements Histogram {

    /**
     * The values the statistics are computed over. Python keeps as many of a distribution's
     * values between answers (api/metrics.py); tests/fixtures/shared_rules.json holds the
     * value both sides' tests check.
     */
    public static final int WINDOW = 1024;

    private final double[] window = new double[WINDOW];
    private int next;
    private int size;
    private long count;

    public synchronized void add(double value) {
        window[next] = value;
        next = (next + 1) % WINDOW;
        size = Math.min(size + 1, WINDOW);
        count++;
    }

    /** Counts values that were added elsewhere and not kept (older than the window). */
    public synchronized void skipped(long values) {
        count += values;
    }

    @Override
    public void update(long value) {
        add(value);
    }

    @Override
    public synchronized long getCount() {
        return count;
    }

    @Override
    public HistogramStatistics getStatistics() {
        double[] values;
        synchronized (this) {
            values = new double[size];
            int start = size < WINDOW ? 0 : next;
            for (int i = 0; i < size; i++) {
                values[i] = window[(start + i) % WINDOW];
            }
        }
        return new DescriptiveStatisticsHistogramStatistics(values);
    }
}
