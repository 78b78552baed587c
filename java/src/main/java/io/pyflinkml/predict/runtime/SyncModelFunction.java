package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.deploy.ModelDeployment;
import io.pyflinkml.predict.metrics.InferenceMetrics;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * ML_PREDICT with {@code MAP['async', 'false']}: one Python round trip per row. Prefer the async
 * function (the planner's default), which batches.
 */
public class SyncModelFunction extends PredictFunction {

    private static final long serialVersionUID = 1L;

    private final ModelConfig config;
    private transient InputCoercion inputCoercion;
    private transient PythonModelSession session; // the subtask's own worker, or
    private transient SharedWorkerPool shared; // the TaskManager's shared workers
    private transient InferenceMetrics metrics;
    private transient ModelDeployment.Opened deployed; // the model directory and Python set-up

    public SyncModelFunction(ModelConfig config) {
        this.config = config;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        inputCoercion = new InputCoercion(config.inputType());
        metrics = InferenceMetrics.forSubtask(TaskContext.metricGroup(context), config.describe());
        deployed = TaskContext.deploy(context, config);
        ModelConfig local = TaskContext.localized(config, deployed);
        shared = TaskContext.sharedWorkers(context, local, metrics);
        if (shared == null) {
            session = PythonModelSession.open(local, TaskContext.subtask(context), metrics);
        }
    }

    @Override
    public Collection<RowData> predict(RowData inputRow) {
        List<RowData> row = Collections.singletonList(inputCoercion.apply(inputRow));
        try {
            if (shared != null) {
                return shared.submit(row, metrics).get().get(0);
            }
            return session.predict(row).get(0);
        } catch (PythonModelException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException("Interrupted waiting for " + config.describe(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new RuntimeException(cause.getMessage(), cause);
        } catch (Exception e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            TaskContext.closeInOrder(session, shared, deployed, config);
        } finally {
            session = null;
            shared = null;
            deployed = null;
        }
    }
}
