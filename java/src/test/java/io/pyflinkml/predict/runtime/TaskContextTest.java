package io.pyflinkml.predict.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.pyflinkml.predict.GenericPythonModelOptions.WorkerScope;
import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.TestModels;
import io.pyflinkml.predict.metrics.InferenceMetrics;
import io.pyflinkml.predict.metrics.RecordingMetricGroup;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.functions.util.RuntimeUDFContext;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.functions.FunctionContext;

import org.junit.jupiter.api.Test;

import java.util.Collections;

class TaskContextTest {

    @Test
    void aSubtaskIsNamedByItsIndexAndParallelism() {
        FunctionContext inTask = new FunctionContext(new RuntimeUDFContext(
                new TaskInfoImpl("ML_PREDICT", 128, 2, 4, 0), getClass().getClassLoader(),
                new ExecutionConfig(), Collections.emptyMap(), Collections.emptyMap(),
                UnregisteredMetricsGroup.createOperatorMetricGroup()));
        assertEquals("2/4", TaskContext.subtask(inTask));
    }

    /** Constant folding opens functions outside any task. */
    @Test
    void outsideATaskThereIsOneSubtaskAndNothingToDeployOrShare() throws Exception {
        FunctionContext none = PythonWorkers.outsideTask();
        assertEquals("0/1", TaskContext.subtask(none));
        ModelConfig config = TestModels.model("m.M").scope(WorkerScope.TASKMANAGER, 1).build();
        assertNull(TaskContext.deploy(none, config));
        assertSame(config, TaskContext.localized(config, null));
        assertNull(TaskContext.sharedWorkers(none, config,
                InferenceMetrics.forSubtask(new RecordingMetricGroup(), "m")));
    }
}
