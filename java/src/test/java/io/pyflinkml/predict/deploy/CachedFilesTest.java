package io.pyflinkml.predict.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.FlinkRelease;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.functions.util.RuntimeUDFContext;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.table.functions.FunctionContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

class CachedFilesTest {

    @TempDir java.nio.file.Path temp;

    /** A task's runtime context whose distributed cache has {@code name}. */
    private RuntimeContext task(String name, File file) {
        Map<String, Future<Path>> files = new HashMap<>();
        files.put(name, CompletableFuture.completedFuture(new Path(file.toURI())));
        return new RuntimeUDFContext(
                new TaskInfoImpl("task", 1, 0, 1, 0), getClass().getClassLoader(),
                new ExecutionConfig(), files, Collections.emptyMap(),
                UnregisteredMetricsGroup.createOperatorMetricGroup());
    }

    /** The context Flink's async operator gives its function: it refuses the distributed cache. */
    private static RuntimeContext asAsyncOperatorGivesIt(RuntimeContext task) {
        RichAsyncFunction<Object, Object> function = new RichAsyncFunction<Object, Object>() {
            @Override
            public void asyncInvoke(Object input, ResultFuture<Object> resultFuture) {}
        };
        function.setRuntimeContext(task);
        return function.getRuntimeContext();
    }

    @Test
    void aSyncFunctionReadsTheCacheDirectly() throws Exception {
        File file = Files.write(temp.resolve("model.zip"), new byte[0]).toFile();
        FunctionContext context = new FunctionContext(task("ship", file));
        assertEquals(file.getAbsoluteFile(), CachedFiles.get(context, "ship").getAbsoluteFile());
    }

    /**
     * Reproduces the Flink behaviour the workaround covers (FlinkRelease.Workaround
     * .ASYNC_DISTRIBUTED_CACHE: RichAsyncFunction's context refuses getDistributedCache) and
     * checks the file is still found. When the first assertion fails, Flink serves the cache
     * itself: end the workaround, and the reflection in CachedFiles, at the release before.
     */
    @Test
    void anAsyncFunctionIsRefusedTheCacheYetFindsItsFile() throws Exception {
        File file = Files.write(temp.resolve("model.zip"), new byte[0]).toFile();
        FunctionContext context = new FunctionContext(asAsyncOperatorGivesIt(task("ship", file)));
        assertThrows(UnsupportedOperationException.class, () -> context.getCachedFile("ship"));
        assertTrue(FlinkRelease.Workaround.ASYNC_DISTRIBUTED_CACHE.active());
        assertEquals(file.getAbsoluteFile(), CachedFiles.get(context, "ship").getAbsoluteFile());
    }

    /** The private field CachedFiles reads; this fails loudly when Flink renames or retypes it. */
    @Test
    void functionContextStillHoldsItsRuntimeContextInAFieldNamedContext() throws Exception {
        Field field = FunctionContext.class.getDeclaredField("context");
        assertTrue(RuntimeContext.class.isAssignableFrom(field.getType()), field.toString());
    }
}
