package io.pyflinkml.predict.evaluate;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ML_EVALUATE_METRICS(task, label, prediction)}: FLIP-525's ML_EVALUATE metrics as a SQL
 * aggregate, {@code MAP<STRING, DOUBLE>} per group or window. Register it with
 *
 * <pre>CREATE TEMPORARY SYSTEM FUNCTION ML_EVALUATE_METRICS
 *     AS 'io.pyflinkml.predict.evaluate.MlEvaluateMetrics';</pre>
 *
 * Rows whose label or prediction is NULL are skipped; a group without any other row gives NULL.
 * Besides the task's metrics the map holds {@code count}, the rows evaluated. {@code merge} lets
 * Flink combine partial results (two-phase aggregation, HOP and session windows); there is no
 * {@code retract}: the input must be append-only, as ML_PREDICT's output is.
 */
public class MlEvaluateMetrics extends AggregateFunction<Map<String, Double>, MetricsAccumulator> {

    public static final String NAME = "ML_EVALUATE_METRICS";

    /** The statement that registers the function, as the README and the Python tools use it. */
    public static final String REGISTER =
            "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS "
                    + NAME
                    + " AS '"
                    + MlEvaluateMetrics.class.getName()
                    + "'";

    @Override
    public MetricsAccumulator createAccumulator() {
        return new MetricsAccumulator();
    }

    public void accumulate(
            MetricsAccumulator acc, String task, Object label, Object prediction) {
        if (label == null || prediction == null) {
            return;
        }
        if (acc.state == null) {
            acc.task = EvaluationTask.of(task, NAME);
            acc.state = acc.task.newAccumulator();
        }
        acc.state.add(label, prediction);
    }

    public void merge(MetricsAccumulator acc, Iterable<MetricsAccumulator> others) {
        for (MetricsAccumulator other : others) {
            if (other.state == null) {
                continue;
            }
            if (acc.state == null) {
                // A fresh one: a slice of a HOP window is merged into several windows.
                acc.task = other.task;
                acc.state = acc.task.newAccumulator();
            }
            acc.state.merge(other.state);
        }
    }

    @Override
    public Map<String, Double> getValue(MetricsAccumulator acc) {
        if (acc.state == null || acc.state.count() == 0) {
            return null;
        }
        Map<String, Double> metrics = new LinkedHashMap<>(acc.state.metrics());
        metrics.put("count", (double) acc.state.count());
        return metrics;
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        DataType result = DataTypes.MAP(DataTypes.STRING().notNull(), DataTypes.DOUBLE());
        return TypeInference.newBuilder()
                .inputTypeStrategy(new EvaluateArguments())
                .accumulatorTypeStrategy(
                        call ->
                                Optional.of(
                                        call.getDataTypeFactory()
                                                .createRawDataType(MetricsAccumulator.class)))
                .outputTypeStrategy(TypeStrategies.explicit(result))
                .build();
    }
}
