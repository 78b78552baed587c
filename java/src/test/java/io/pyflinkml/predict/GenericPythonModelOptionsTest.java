package io.pyflinkml.predict;

import static io.pyflinkml.predict.GenericPythonModelOptions.ALLOWED_MODEL_ROOTS;
import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_SIZE;
import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_TIMEOUT;
import static io.pyflinkml.predict.GenericPythonModelOptions.ERROR_HANDLING_STRATEGY;
import static io.pyflinkml.predict.GenericPythonModelOptions.EXECUTION_MODE;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_CACHE_RETENTION;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_UPDATE_INTERVAL;
import static io.pyflinkml.predict.GenericPythonModelOptions.RETRY_FALLBACK_STRATEGY;
import static io.pyflinkml.predict.GenericPythonModelOptions.RETRY_NUM;
import static io.pyflinkml.predict.GenericPythonModelOptions.WORKERS_PER_TASKMANAGER;
import static io.pyflinkml.predict.GenericPythonModelOptions.WORKER_SCOPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;
import io.pyflinkml.predict.GenericPythonModelOptions.RetryFallbackStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.WorkerScope;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

class GenericPythonModelOptionsTest {

    private static Configuration options(String... keysAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Configuration.fromMap(map);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        Configuration none = new Configuration();
        assertEquals(256, none.get(BATCH_SIZE));
        assertEquals(Duration.ofMillis(10), none.get(BATCH_TIMEOUT));
        assertEquals(ExecutionMode.PROCESS, none.get(EXECUTION_MODE));
        assertEquals(WorkerScope.SUBTASK, none.get(WORKER_SCOPE));
        assertEquals(1, none.get(WORKERS_PER_TASKMANAGER));
        assertEquals(ErrorHandlingStrategy.FAILOVER, none.get(ERROR_HANDLING_STRATEGY));
        assertEquals(3, none.get(RETRY_NUM));
        assertEquals(RetryFallbackStrategy.FAILOVER, none.get(RETRY_FALLBACK_STRATEGY));
        assertEquals(Duration.ofMinutes(1), none.get(MODEL_UPDATE_INTERVAL));
        assertEquals(Duration.ofHours(1), none.get(MODEL_CACHE_RETENTION));
        assertFalse(none.get(GenericPythonModelOptions.MODEL_DIRECTORY_SHIP));
        assertTrue(none.get(GenericPythonModelOptions.MODEL_DIRECTORY_CHECK));
    }

    @Test
    void everyModelOptionIsOfferedByTheFactory() {
        GenericPythonModelProviderFactory factory = new GenericPythonModelProviderFactory();
        Set<String> keys = new TreeSet<>();
        for (ConfigOption<?> option : factory.requiredOptions()) {
            keys.add(option.key());
        }
        for (ConfigOption<?> option : factory.optionalOptions()) {
            keys.add(option.key());
        }
        assertEquals(
                new TreeSet<>(Arrays.asList(
                        "batch-size", "batch-timeout", "error-handling-strategy", "execution-mode",
                        "model-directory-check", "model-directory-path", "model-directory-ship",
                        "model-update-interval", "model-version", "python-predict-class",
                        "retry-fallback-strategy", "retry-num", "task", "worker-scope",
                        "workers-per-taskmanager")),
                keys);
        assertEquals("generic-python", factory.factoryIdentifier());
    }

    @Test
    void enumOptionsReadTheLowerCaseValuesSqlGives() {
        Configuration sql = options(
                "execution-mode", "thread", "worker-scope", "taskmanager",
                "error-handling-strategy", "retry", "retry-fallback-strategy", "ignore");
        assertEquals(ExecutionMode.THREAD, sql.get(EXECUTION_MODE));
        assertEquals(WorkerScope.TASKMANAGER, sql.get(WORKER_SCOPE));
        assertEquals(ErrorHandlingStrategy.RETRY, sql.get(ERROR_HANDLING_STRATEGY));
        assertEquals(RetryFallbackStrategy.IGNORE, sql.get(RETRY_FALLBACK_STRATEGY));
        assertThrows(IllegalArgumentException.class,
                () -> options("execution-mode", "fork").get(EXECUTION_MODE));
    }

    @Test
    void durationsAndRootListsParseAsWrittenInSql() {
        Configuration sql = options(
                "batch-timeout", "250 ms", "model-update-interval", "5 s",
                "generic-python.allowed-model-roots", "/models;/shared/models");
        assertEquals(Duration.ofMillis(250), sql.get(BATCH_TIMEOUT));
        assertEquals(Duration.ofSeconds(5), sql.get(MODEL_UPDATE_INTERVAL));
        assertEquals(Arrays.asList("/models", "/shared/models"), sql.get(ALLOWED_MODEL_ROOTS));
    }

    @Test
    void everyOptionIsDescribed() throws Exception {
        for (java.lang.reflect.Field field : GenericPythonModelOptions.class.getFields()) {
            if (field.get(null) instanceof ConfigOption) {
                ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                assertFalse(option.description().getBlocks().isEmpty(), option.key());
            }
        }
    }
}
