package io.pyflinkml.predict.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.cache.DistributedCache;
import org.apache.flink.api.common.functions.util.RuntimeUDFContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.functions.FunctionContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

class PythonDependenciesTest {

    @TempDir Path temp;

    @Test
    void withoutDependenciesNothingIsRegistered() {
        Configuration session = new Configuration();
        assertTrue(PythonDependencies.register("m", session, null, null).isEmpty());
        assertTrue(session.toMap().isEmpty());
    }

    @Test
    void aShippedModelIsAddedToTheJobsCachedFilesOnce() {
        Configuration session = new Configuration();
        session.set(PipelineOptions.CACHED_FILES,
                Collections.singletonList("name:other,path:/data/other"));
        PythonDependencies.register("m", session, "ship-1", "/models/m");
        PythonDependencies.register("m", session, "ship-1", "/models/m");
        List<String> cached = session.get(PipelineOptions.CACHED_FILES);
        assertEquals(2, cached.size(), cached.toString());
        assertTrue(cached.get(1).contains("ship-1") && cached.get(1).contains("/models/m"), cached.toString());
    }

    @Test
    void pythonFilesAreRegisteredAndTheirCacheInfoReturned() throws Exception {
        Path module = Files.write(temp.resolve("helper.py"), new byte[0]);
        Configuration session = new Configuration();
        session.setString("python.files", module.toString());
        Map<String, String> runtime = PythonDependencies.register("m", session, null, null);
        assertFalse(runtime.isEmpty());
        runtime.keySet().forEach(key -> assertTrue(key.startsWith("python."), key));
        assertTrue(session.get(PipelineOptions.CACHED_FILES).toString().contains(module.toString()));
    }

    @Test
    void aConfigurationThatCannotTakeFilesIsRefusedWhenFilesMustShip() {
        Configuration backing = new Configuration();
        ReadableConfig readOnly = new ReadableConfig() {
            @Override
            public <T> T get(ConfigOption<T> option) {
                return backing.get(option);
            }

            @Override
            public <T> Optional<T> getOptional(ConfigOption<T> option) {
                return backing.getOptional(option);
            }

            @Override
            public Map<String, String> toMap() {
                return backing.toMap();
            }
        };
        assertTrue(PythonDependencies.register("m", readOnly, null, null).isEmpty());
        ValidationException e = assertThrows(ValidationException.class,
                () -> PythonDependencies.register("m", readOnly, "ship-1", "/models/m"));
        assertTrue(e.getMessage().startsWith("Model 'm' needs files shipped with the job"), e.getMessage());
    }

    /**
     * python.files as the TaskManager sees them: flink-python's environment manager links the
     * job's cached copy into a working directory that goes on the worker's PYTHONPATH.
     */
    @Test
    void pythonFilesReachTheWorkersPythonPathOnTheTaskManager() throws Exception {
        Path module = Files.write(temp.resolve("helper.py"), "X = 1".getBytes());
        Configuration session = new Configuration();
        session.setString("python.files", module.toString());
        Map<String, String> runtime = PythonDependencies.register("m", session, null, null);

        Map<String, Future<org.apache.flink.core.fs.Path>> cached = new HashMap<>();
        for (Tuple2<String, DistributedCache.DistributedCacheEntry> entry :
                DistributedCache.parseCachedFilesFromString(session.get(PipelineOptions.CACHED_FILES))) {
            cached.put(entry.f0, CompletableFuture.completedFuture(
                    new org.apache.flink.core.fs.Path(entry.f1.filePath)));
        }
        FunctionContext task = new FunctionContext(new RuntimeUDFContext(
                new TaskInfoImpl("ML_PREDICT", 1, 0, 1, 0), getClass().getClassLoader(),
                new ExecutionConfig(), cached, Collections.emptyMap(),
                UnregisteredMetricsGroup.createOperatorMetricGroup()));
        try (PythonDependencies.Environment environment = PythonDependencies.open(
                task, "m", runtime, "python3", ExecutionMode.PROCESS, null)) {
            String pythonPath = environment.launch().environment().get("PYTHONPATH");
            boolean found = false;
            for (String entry : pythonPath.split(java.io.File.pathSeparator)) {
                found |= new java.io.File(entry, "helper.py").isFile();
            }
            assertTrue(found, "helper.py is on " + pythonPath);
            assertEquals("python3", environment.launch().executable());
        }
    }

    @Test
    void withoutDependenciesTheWorkerRunsThePlainInterpreter() throws Exception {
        try (PythonDependencies.Environment environment = PythonDependencies.open(
                new FunctionContext(null), "m", Collections.emptyMap(), "/usr/bin/python3",
                ExecutionMode.PROCESS, null)) {
            assertEquals("/usr/bin/python3", environment.launch().executable());
            assertTrue(environment.launch().environment().isEmpty());
            assertNull(environment.launch().pythonHome());
        }
    }
}
