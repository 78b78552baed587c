package io.pyflinkml.predict;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.RetryFallbackStrategy;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;

/**
 * The per-row error policy, applied by the Python runtime (it alone sees which row raised): how
 * many times a row is tried, and whether a row that still fails fails the job or is skipped.
 */
public final class ErrorHandling implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final ErrorHandling FAILOVER =
            new ErrorHandling(ErrorHandlingStrategy.FAILOVER, 0, RetryFallbackStrategy.FAILOVER);

    private final ErrorHandlingStrategy strategy;
    private final int retryNum;
    private final RetryFallbackStrategy fallback;

    public ErrorHandling(
            ErrorHandlingStrategy strategy, int retryNum, RetryFallbackStrategy fallback) {
        this.strategy = strategy;
        this.retryNum = retryNum;
        this.fallback = fallback;
    }

    public ErrorHandlingStrategy strategy() {
        return strategy;
    }

    public int retryNum() {
        return retryNum;
    }

    public RetryFallbackStrategy fallback() {
        return fallback;
    }

    /** Whether a row can end up skipped rather than failing the job. */
    public boolean mayIgnore() {
        return strategy == ErrorHandlingStrategy.IGNORE
                || (strategy == ErrorHandlingStrategy.RETRY
                        && fallback == RetryFallbackStrategy.IGNORE);
    }

    void writeTo(ObjectNode node) {
        node.put("strategy", strategy.name().toLowerCase());
        node.put("retry_num", strategy == ErrorHandlingStrategy.RETRY ? retryNum : 0);
        node.put("retry_fallback", fallback.name().toLowerCase());
    }

    @Override
    public String toString() {
        return strategy == ErrorHandlingStrategy.RETRY
                ? String.format("RETRY(%d, then %s)", retryNum, fallback)
                : strategy.name();
    }
}
