package io.pyflinkml.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.RetryFallbackStrategy;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class ErrorHandlingTest {

    private static String json(ErrorHandling handling) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        handling.writeTo(node);
        return node.toString();
    }

    @Test
    void pythonGetsTheOptionsInLowerCase() {
        assertEquals(
                "{\"strategy\":\"retry\",\"retry_num\":2,\"retry_fallback\":\"ignore\"}",
                json(new ErrorHandling(ErrorHandlingStrategy.RETRY, 2, RetryFallbackStrategy.IGNORE)));
    }

    /** retry-num means nothing without 'retry': Python must not retry an ignored row. */
    @Test
    void retriesAreZeroUnlessTheStrategyIsRetry() {
        assertEquals(
                "{\"strategy\":\"ignore\",\"retry_num\":0,\"retry_fallback\":\"failover\"}",
                json(new ErrorHandling(ErrorHandlingStrategy.IGNORE, 5, RetryFallbackStrategy.FAILOVER)));
    }

    @Test
    void toStringShowsRetriesOnlyWhereTheyApply() {
        assertEquals("RETRY(3, then IGNORE)",
                new ErrorHandling(ErrorHandlingStrategy.RETRY, 3, RetryFallbackStrategy.IGNORE).toString());
        assertEquals("FAILOVER",
                new ErrorHandling(ErrorHandlingStrategy.FAILOVER, 3, RetryFallbackStrategy.IGNORE).toString());
    }
}
