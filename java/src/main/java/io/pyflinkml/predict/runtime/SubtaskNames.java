package io.pyflinkml.predict.runtime;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.table.functions.FunctionContext;

/** "index/parallelism" of the running subtask, for worker names and the Python context. */
final class SubtaskNames {

    static String of(FunctionContext context) {
        try {
            TaskInfo info = context.getTaskInfo();
            return info.getIndexOfThisSubtask() + "/" + info.getNumberOfParallelSubtasks();
        } catch (RuntimeException e) {
            return "0/1"; // outside a task (for example during constant folding)
        }
    }

    private SubtaskNames() {}
}
