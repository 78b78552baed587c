package io.pyflinkml.predict.evaluate;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * FLIP-525's task types: the names a model's 'task' option and ML_EVALUATE_METRICS accept,
 * which label and prediction types each takes, its metrics, and its accumulator.
 */
public enum EvaluationTask {
    CLASSIFICATION(
            "classification",
            "label and prediction of one kind: both integers (TINYINT to BIGINT), both strings"
                    + " or both BOOLEAN",
            ClassificationAccumulator::new,
            "accuracy",
            "precision",
            "recall",
            "f1"),
    REGRESSION(
            "regression",
            "numeric label and prediction",
            RegressionAccumulator::new,
            "mae",
            "mse",
            "rmse",
            "mape",
            "r2"),
    CLUSTERING(
            "clustering",
            "the feature vector as label (ARRAY of FLOAT or DOUBLE) and the cluster id as"
                    + " prediction (an integer or a string)",
            ClusteringAccumulator::new,
            "davies_bouldin"),
    EMBEDDING(
            "embedding",
            "label and prediction both ARRAY of FLOAT or DOUBLE",
            EmbeddingAccumulator::new,
            "mean_cosine_similarity"),
    TEXT_GENERATION(
            "text_generation",
            "label (the reference) and prediction (the generated text) both strings",
            TextGenerationAccumulator::new,
            "bleu",
            "rouge_l");

    private final String sqlName;
    private final String expects;
    private final Supplier<TaskAccumulator> accumulator;
    private final List<String> metrics;

    EvaluationTask(
            String sqlName,
            String expects,
            Supplier<TaskAccumulator> accumulator,
            String... metrics) {
        this.sqlName = sqlName;
        this.expects = expects;
        this.accumulator = accumulator;
        this.metrics = Arrays.asList(metrics);
    }

    public String sqlName() {
        return sqlName;
    }

    public List<String> metrics() {
        return metrics;
    }

    TaskAccumulator newAccumulator() {
        return accumulator.get();
    }

    /** The task of this name (case-insensitive); {@code where} says who named it, for errors. */
    public static EvaluationTask of(String name, String where) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (EvaluationTask task : values()) {
            if (task.sqlName.equals(wanted)) {
                return task;
            }
        }
        throw new ValidationException(
                String.format(
                        "%s: unknown task '%s'; the tasks are %s.", where, name, names()));
    }

    public static String names() {
        return Arrays.stream(values())
                .map(t -> "'" + t.sqlName + "'")
                .collect(Collectors.joining(", "));
    }

    /** Null when the task takes these argument types, else what is wrong, in words. */
    String argumentProblem(LogicalType label, LogicalType prediction) {
        boolean fits;
        switch (this) {
            case CLASSIFICATION:
                fits =
                        (isInteger(label) && isInteger(prediction))
                                || (isString(label) && isString(prediction))
                                || (isBoolean(label) && isBoolean(prediction));
                break;
            case REGRESSION:
                fits =
                        label.is(LogicalTypeFamily.NUMERIC)
                                && prediction.is(LogicalTypeFamily.NUMERIC);
                break;
            case CLUSTERING:
                fits = isVector(label) && (isInteger(prediction) || isString(prediction));
                break;
            case EMBEDDING:
                fits = isVector(label) && isVector(prediction);
                break;
            default:
                fits = isString(label) && isString(prediction);
        }
        return fits
                ? null
                : String.format(
                        "task '%s' takes %s, got label %s and prediction %s",
                        sqlName, expects, label, prediction);
    }

    private static boolean isInteger(LogicalType type) {
        return type.is(LogicalTypeFamily.INTEGER_NUMERIC);
    }

    private static boolean isString(LogicalType type) {
        return type.is(LogicalTypeFamily.CHARACTER_STRING);
    }

    private static boolean isBoolean(LogicalType type) {
        return type.is(org.apache.flink.table.types.logical.LogicalTypeRoot.BOOLEAN);
    }

    private static boolean isVector(LogicalType type) {
        return type instanceof ArrayType
                && ((ArrayType) type)
                        .getElementType()
                        .is(LogicalTypeFamily.APPROXIMATE_NUMERIC);
    }
}
