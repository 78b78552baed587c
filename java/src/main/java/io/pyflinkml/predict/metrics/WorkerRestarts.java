package io.pyflinkml.predict.metrics;

import org.apache.flink.metrics.MetricGroup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many Python workers of a subtask (or shared workers of a job) ended by a crash, across the attempts of that subtask
 * in this TaskManager: a crash fails the task, Flink starts it again with fresh metrics, and
 * the new attempt still reports that its worker is a restart. Kept per job, ML_PREDICT operator
 * and subtask index (a few bytes each for the TaskManager's life).
 */
final class WorkerRestarts {

    private static final Map<String, Integer> CRASHES = new ConcurrentHashMap<>();

    /**
     * The key of a subtask's worker, or with {@code shared} of a shared worker of its job; null
     * outside a task (no job, so nothing restarts).
     */
    static String key(MetricGroup operatorGroup, String shared) {
        Map<String, String> variables = operatorGroup.getAllVariables();
        String job = variables.get("<job_id>");
        if (job == null) {
            return null;
        }
        if (shared != null) {
            return job + "/shared/" + shared;
        }
        return job + "/" + variables.get("<operator_id>") + "/" + variables.get("<subtask_index>");
    }

    static int crashesBefore(String key) {
        return key == null ? 0 : CRASHES.getOrDefault(key, 0);
    }

    static void crashed(String key) {
        if (key != null) {
            CRASHES.merge(key, 1, Integer::sum);
        }
    }

    private WorkerRestarts() {}
}
