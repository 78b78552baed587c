package io.pyflinkml.predict;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Options of the {@code generic-python} model provider (CREATE MODEL ... WITH (...)). */
public final class GenericPythonModelOptions {

    /** Prefix of user properties handed to the Python class with the prefix removed. */
    public static final String PROPERTIES_PREFIX = "properties.";

    public static final ConfigOption<String> MODEL_DIRECTORY_PATH =
            ConfigOptions.key("model-directory-path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Absolute path of the model directory. It is put first on the Python"
                                    + " path, so the predict class's module is found there.");

    public static final ConfigOption<String> PYTHON_PREDICT_CLASS =
            ConfigOptions.key("python-predict-class")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Fully qualified name ('module.Class') of a subclass of"
                                    + " pyflink_ml_predict.PredictFunction.");

    public static final ConfigOption<ExecutionMode> EXECUTION_MODE =
            ConfigOptions.key("execution-mode")
                    .enumType(ExecutionMode.class)
                    .defaultValue(ExecutionMode.PROCESS)
                    .withDescription(
                            "Where Python runs: 'process' starts one Python worker per parallel"
                                    + " subtask (isolated, the default); 'thread' embeds CPython in"
                                    + " the TaskManager through pemja (no serialization to a pipe,"
                                    + " one CPython per JVM).");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("batch-size")
                    .intType()
                    .defaultValue(256)
                    .withDescription(
                            "Most rows sent to Python in one batch by the async function. A batch"
                                    + " is also sent when the async in-flight cap"
                                    + " ('max-concurrent-operations') is reached or the batch"
                                    + " timeout passes. Can be overridden in the ML_PREDICT MAP.");

    public static final ConfigOption<Duration> BATCH_TIMEOUT =
            ConfigOptions.key("batch-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(10))
                    .withDescription(
                            "Longest time a row waits for its batch to fill before the batch is"
                                    + " sent anyway. Can be overridden in the ML_PREDICT MAP.");

    /** Where the Python code runs. */
    public enum ExecutionMode {
        PROCESS,
        THREAD
    }

    private GenericPythonModelOptions() {}
}
