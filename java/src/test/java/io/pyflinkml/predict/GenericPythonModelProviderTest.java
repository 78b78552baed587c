package io.pyflinkml.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.runtime.BatchingAsyncModelFunction;
import io.pyflinkml.predict.runtime.SyncModelFunction;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.ml.ModelProvider;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/** What the query's MAP changes, and the runtime providers the planner asks for. */
class GenericPythonModelProviderTest {

    private final GenericPythonModelProvider provider = new GenericPythonModelProvider(
            TestModels.model("mod.M").batchSize(16).errorHandling(TestModels.ignore()).build());

    private static Configuration map(String... keysAndValues) {
        Configuration map = new Configuration();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.setString(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void theQuerysMapOverridesBatchingErrorsCapAndTimeout() {
        ModelConfig query = provider.withRuntimeConfig(map(
                "batch-size", "4", "batch-timeout", "1 s", "retry-num", "7",
                "max-concurrent-operations", "8", "timeout", "30 s"));
        assertEquals(4, query.batchSize());
        assertEquals(Duration.ofSeconds(1), query.batchTimeout());
        assertEquals(8, query.maxInFlight());
        assertEquals(Duration.ofSeconds(30), query.timeout());
        assertEquals(ErrorHandlingStrategy.IGNORE, query.errorHandling().strategy(), "the model's own");
        assertEquals(7, query.errorHandling().retryNum());
    }

    @Test
    void withoutAMapTheModelsOptionsHold() {
        ModelConfig query = provider.withRuntimeConfig(new Configuration());
        assertEquals(16, query.batchSize());
        assertEquals(ErrorHandlingStrategy.IGNORE, query.errorHandling().strategy());
    }

    @Test
    void theMapIsCheckedAsTheModelsOptionsAre() {
        assertThrows(ValidationException.class, () -> provider.withRuntimeConfig(map("batch-size", "0")));
        assertThrows(ValidationException.class, () -> provider.withRuntimeConfig(map("retry-num", "-1")));
    }

    @Test
    void thePlannerGetsTheSyncAndTheBatchingFunctions() {
        ModelProvider.Context context = new ModelProvider.Context() {
            @Override
            public ResolvedCatalogModel getCatalogModel() {
                return null;
            }

            @Override
            public Configuration runtimeConfig() {
                return map("batch-size", "2");
            }
        };
        assertInstanceOf(BatchingAsyncModelFunction.class, provider.createAsyncPredictFunction(context));
        assertInstanceOf(SyncModelFunction.class, provider.createPredictFunction(context));
        assertInstanceOf(GenericPythonModelProvider.class, provider.copy());
        assertEquals("mod.M", provider.getPythonPredictFunction().getPythonClass());
    }
}
