package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.GenericPythonModelOptions.WorkerScope;
import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.deploy.ModelDeployment;
import io.pyflinkml.predict.metrics.InferenceMetrics;

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

    /**
     * Puts the model directory and the job's Python environment in place on this TaskManager;
     * null when the config has nothing to put in place.
     */
    static ModelDeployment.Opened deploy(FunctionContext context, ModelConfig config)
            throws Exception {
        if (config.deployment() == null) {
            return null;
        }
        return config.deployment()
                .open(
                        context,
                        config.modelName(),
                        config.pythonClass(),
                        config.pythonExecutable(),
                        config.executionMode(),
                        metricGroup(context).getAllVariables().get("<job_id>"));
    }

    /** The config as this TaskManager runs it. */
    static ModelConfig localized(ModelConfig config, ModelDeployment.Opened deployed) {
        return deployed == null ? config : config.localized(deployed.directory(), deployed.launch());
    }

    /**
     * Closes a subtask's workers in the reverse order of opening: its own session, its place in
     * the shared pool, then what {@link #deploy} opened; each even when the one before failed.
     */
    static void closeInOrder(
            PythonModelSession session,
            SharedWorkerPool shared,
            ModelDeployment.Opened deployed,
            ModelConfig config) {
        try {
            if (session != null) {
                session.close();
            }
        } finally {
            try {
                if (shared != null) {
                    shared.release();
                }
            } finally {
                if (deployed != null) {
                    try {
                        deployed.close();
                    } catch (Exception e) {
                        throw new RuntimeException(
                                "Cannot release the deployment of " + config.describe(), e);
                    }
                }
            }
        }
    }

    /**
     * The shared workers this subtask joins with worker-scope 'taskmanager', or null when it
     * runs its own (the default, or outside a job, where there is nothing to share).
     */
    static SharedWorkerPool sharedWorkers(
            FunctionContext context, ModelConfig config, InferenceMetrics metrics)
            throws Exception {
        MetricGroup group = metricGroup(context);
        String job = group.getAllVariables().get("<job_id>");
        if (config.workerScope() != WorkerScope.TASKMANAGER || job == null) {
            return null;
        }
        long start = System.nanoTime();
        SharedWorkerPool pool = SharedWorkerPool.acquire(config, job, group);
        metrics.joined(System.nanoTime() - start);
        return pool;
    }

    private TaskContext() {}
}
