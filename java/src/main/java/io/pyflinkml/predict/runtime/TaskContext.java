package io.pyflinkml.predict.runtime;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.functions.FunctionContext;

/** What a model function needs from the running task, with stand-ins outside a task. */
final class TaskContext {

    /** "index/parallelism" of the running subtask, for worker names and the Python context. */
    static String subtask(FunctionContext context) {
        try {
            TaskInfo info = context.getTaskInfo();
            return info.getIndexOfThisSubtask() + "/" + info.getNumberOfParallelSubtasks();
        } catch (RuntimeException e) {
            return "0/1"; // outside a task (for example during constant folding)
        }
    }

    /** The ML_PREDICT operator's metric group. */
    static MetricGroup metricGroup(FunctionContext context) {
        try {
            return context.getMetricGroup();
        } catch (RuntimeException e) {
            return new UnregisteredMetricsGroup();
        }
    }

    private TaskContext() {}
}
