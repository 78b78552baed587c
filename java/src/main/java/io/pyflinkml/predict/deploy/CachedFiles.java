package io.pyflinkml.predict.deploy;

import io.pyflinkml.predict.FlinkRelease;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.table.functions.FunctionContext;

import java.io.File;
import java.lang.reflect.Field;

/**
 * The job's distributed-cache files on this TaskManager. Flink's async operator refuses its
 * functions the distributed cache ("not supported in rich async functions"), though the task
 * has it: the runtime context that operator wraps is asked instead.
 */
final class CachedFiles {

    private CachedFiles() {}

    static File get(FunctionContext context, String name) {
        try {
            return context.getCachedFile(name);
        } catch (UnsupportedOperationException refused) {
            if (!FlinkRelease.Workaround.ASYNC_DISTRIBUTED_CACHE.active()) {
                throw refused;
            }
            RuntimeContext task = runtimeContext(context);
            // Async runners may wrap a wrapper: unwrap until the cache answers.
            for (int depth = 0; task != null && depth < 8; depth++) {
                try {
                    return task.getDistributedCache().getFile(name);
                } catch (UnsupportedOperationException stillWrapped) {
                    task = wrapped(task);
                }
            }
            throw new IllegalStateException(
                    "The job's distributed cache (file '" + name + "') cannot be reached from"
                            + " this function",
                    refused);
        }
    }

    private static RuntimeContext runtimeContext(FunctionContext context) {
        try {
            return (RuntimeContext) field(FunctionContext.class, "context").get(context);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The runtime context inside a wrapper, or null. */
    private static RuntimeContext wrapped(RuntimeContext outer) {
        try {
            for (Class<?> c = outer.getClass(); c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (RuntimeContext.class.isAssignableFrom(f.getType())) {
                        f.setAccessible(true);
                        return (RuntimeContext) f.get(outer);
                    }
                }
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
