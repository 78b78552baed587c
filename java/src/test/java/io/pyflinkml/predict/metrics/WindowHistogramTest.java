package io.pyflinkml.predict.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pyflinkml.predict.SharedRules;

import org.apache.flink.metrics.HistogramStatistics;

import org.junit.jupiter.api.Test;

class WindowHistogramTest {

    /** Python keeps the same window of a distribution's values (api/metrics.py). */
    @Test
    void theWindowIsTheSharedRulesWindow() throws Exception {
        assertEquals(SharedRules.get().get("histogram_window").asInt(), WindowHistogram.WINDOW);
    }

    @Test
    void statisticsKeepFractions() {
        WindowHistogram histogram = new WindowHistogram();
        histogram.add(0.25);
        histogram.add(0.5);
        histogram.update(3);
        HistogramStatistics statistics = histogram.getStatistics();
        assertEquals(3, histogram.getCount());
        assertEquals(3, statistics.size());
        assertEquals(1.25, statistics.getMean(), 1e-12);
        // Flink's HistogramStatistics gives min and max as longs; mean and quantiles keep fractions.
        assertEquals(0.5, statistics.getQuantile(0.5), 1e-12);
    }

    @Test
    void statisticsCoverOnlyTheLatestWindowButCountEveryValue() {
        WindowHistogram histogram = new WindowHistogram();
        for (int i = 0; i < WindowHistogram.WINDOW + 500; i++) {
            histogram.add(i);
        }
        HistogramStatistics statistics = histogram.getStatistics();
        assertEquals(WindowHistogram.WINDOW + 500, histogram.getCount());
        assertEquals(WindowHistogram.WINDOW, statistics.size());
        assertEquals(500, statistics.getMin());
        assertEquals(WindowHistogram.WINDOW + 499, statistics.getMax());
    }

    @Test
    void valuesSkippedElsewhereCountButAreNotInTheStatistics() {
        WindowHistogram histogram = new WindowHistogram();
        histogram.add(2);
        histogram.skipped(10);
        assertEquals(11, histogram.getCount());
        assertEquals(1, histogram.getStatistics().size());
    }

    @Test
    void anEmptyHistogramHasNoValues() {
        WindowHistogram histogram = new WindowHistogram();
        assertEquals(0, histogram.getCount());
        assertEquals(0, histogram.getStatistics().size());
    }
}
