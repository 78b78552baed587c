package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.metrics.InferenceMetrics;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;

import java.util.Collection;
import java.util.Collections;

/**
 * ML_PREDICT with {@code MAP['async', 'false']}: one Python round trip per row. Prefer the async
 * function (the planner's default), which batches.
 */
public class SyncModelFunction extends PredictFunction {

    private static final long serialVersionUID = 1L;

    private final ModelConfig config;
    private transient InputCoercion inputCoercion;
    private transient PythonModelSession session;

    public SyncModelFunction(ModelConfig config) {
        this.config = config;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        inputCoercion = new InputCoercion(config.inputType());
        InferenceMetrics metrics =
                new InferenceMetrics(TaskContext.metricGroup(context), config.describe());
        session = PythonModelSession.open(config, TaskContext.subtask(context), metrics);
    }

    @Override
    public Collection<RowData> predict(RowData inputRow) {
        try {
            return session.predict(Collections.singletonList(inputCoercion.apply(inputRow))).get(0);
        } catch (PythonModelException e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
