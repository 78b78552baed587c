package io.pyflinkml.predict;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.RetryFallbackStrategy;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;

/**
 * The per-row error options as validated at plan time. What they mean (how many times a row is
 * tried, whether a row that still fails is skipped) is defined once, on the Python side that
 * alone sees which row raised: {@code pyflink_ml_predict/runtime/error_policy.py}.
 */
public final class ErrorHandling implements Serializable {

    private static final long serialVersionUID = 1L;

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
