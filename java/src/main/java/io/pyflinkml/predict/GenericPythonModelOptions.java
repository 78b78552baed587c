package io.pyflinkml.predict;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/** Options of the {@code generic-python} model provider (CREATE MODEL ... WITH (...)). */
public final class GenericPythonModelOptions {

    /** Prefix of user properties handed to the Python class with the prefix removed. */
    public static final String PROPERTIES_PREFIX = "properties.";

    public static final ConfigOption<String> MODEL_DIRECTORY_PATH =
            ConfigOptions.key("model-directory-path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The model directory: an absolute local path (used in place on every"
                                    + " TaskManager), a URI on any Flink file system"
                                    + " ('hdfs://', 's3://', 'file://'), or a '.zip', '.tar.gz',"
                                    + " '.tgz' or '.tar' archive on either. A directory on another"
                                    + " file system and any archive are fetched once per"
                                    + " TaskManager host into the model cache"
                                    + " ('generic-python.model-cache.directory'). An archive's root"
                                    + " is the model directory, or its single top-level directory"
                                    + " when it holds nothing else. The directory is put first on"
                                    + " the Python path, so the predict class's module is found"
                                    + " there.");

    public static final ConfigOption<Boolean> MODEL_DIRECTORY_SHIP =
            ConfigOptions.key("model-directory-ship")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Ship the model directory or archive from where the query is planned"
                                    + " with the job, through Flink's distributed cache (uploaded"
                                    + " to the cluster at submission), for TaskManagers that"
                                    + " cannot read 'model-directory-path'. A shipped archive is"
                                    + " extracted into the model cache as a fetched one is.");

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

    public static final ConfigOption<String> MODEL_VERSION =
            ConfigOptions.key("model-version")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Serve a versioned model directory, whose numbered subdirectories"
                                    + " ('1', '2', ...) are each a complete model directory:"
                                    + " 'latest' serves the newest and switches to a newer one"
                                    + " while the job runs; a number pins that version. Absent:"
                                    + " the directory itself is the model, as without versions.");

    public static final ConfigOption<Duration> MODEL_UPDATE_INTERVAL =
            ConfigOptions.key("model-update-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "With model-version 'latest': how often each worker looks for a newer"
                                    + " version (between two batches).");

    public static final ConfigOption<WorkerScope> WORKER_SCOPE =
            ConfigOptions.key("worker-scope")
                    .enumType(WorkerScope.class)
                    .defaultValue(WorkerScope.SUBTASK)
                    .withDescription(
                            "Who owns a Python worker: 'subtask' (the default) starts one per"
                                    + " parallel subtask; 'taskmanager' lets all subtasks of this"
                                    + " model (same options) in one TaskManager and job share"
                                    + " 'workers-per-taskmanager' workers, so the model is loaded"
                                    + " that many times per TaskManager and rows of several"
                                    + " subtasks that wait together go to the model as one batch"
                                    + " (up to 'batch-size'). Needs execution-mode 'process'.");

    public static final ConfigOption<Integer> WORKERS_PER_TASKMANAGER =
            ConfigOptions.key("workers-per-taskmanager")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "With worker-scope 'taskmanager': how many shared workers (copies of"
                                    + " the model) each TaskManager runs for this model.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("batch-size")
                    .intType()
                    .defaultValue(256)
                    .withDescription(
                            "Most rows sent to Python in one batch by the async function. Batches"
                                    + " are pipelined, so a batch is also sent at half the async"
                                    + " in-flight cap ('max-concurrent-operations'; the whole cap"
                                    + " for a vectorized class while half of it is under 64 rows),"
                                    + " when the cap is reached, or when the batch timeout passes."
                                    + " Give the cap twice this for full batches. Can be"
                                    + " overridden in the ML_PREDICT MAP.");

    public static final ConfigOption<Duration> BATCH_TIMEOUT =
            ConfigOptions.key("batch-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(10))
                    .withDescription(
                            "Longest time a row waits for its batch to fill before the batch is"
                                    + " sent anyway. Can be overridden in the ML_PREDICT MAP.");

    public static final ConfigOption<Boolean> MODEL_DIRECTORY_CHECK =
            ConfigOptions.key("model-directory-check")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Check at plan time, where the query is planned, that"
                                    + " 'model-directory-path' is a directory, or a readable"
                                    + " archive that holds the predict class's module (a URI"
                                    + " through Flink's file system, when it can be reached from"
                                    + " there). Set to false when the model exists only where the"
                                    + " TaskManagers can see it; the TaskManager then reports a"
                                    + " missing model when the job starts.");

    public static final ConfigOption<ErrorHandlingStrategy> ERROR_HANDLING_STRATEGY =
            ConfigOptions.key("error-handling-strategy")
                    .enumType(ErrorHandlingStrategy.class)
                    .defaultValue(ErrorHandlingStrategy.FAILOVER)
                    .withDescription(
                            "What a row whose prediction raises does: 'failover' fails the job"
                                    + " (the default), 'retry' predicts the row again up to"
                                    + " 'retry-num' times and then applies"
                                    + " 'retry-fallback-strategy', 'ignore' skips the row (it gets"
                                    + " one output row with only the 'error-string' column set when"
                                    + " OUTPUT declares that column, and none otherwise). A failing"
                                    + " batch is re-run row by row, so its other rows are"
                                    + " unaffected. Can be overridden in the ML_PREDICT MAP.");

    public static final ConfigOption<Integer> RETRY_NUM =
            ConfigOptions.key("retry-num")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "With error-handling-strategy 'retry': how many more times a failing"
                                    + " row is predicted before the fallback applies.");

    public static final ConfigOption<RetryFallbackStrategy> RETRY_FALLBACK_STRATEGY =
            ConfigOptions.key("retry-fallback-strategy")
                    .enumType(RetryFallbackStrategy.class)
                    .defaultValue(RetryFallbackStrategy.FAILOVER)
                    .withDescription(
                            "With error-handling-strategy 'retry': 'failover' fails the job once a"
                                    + " row's retries are used up, 'ignore' skips the row.");

    public static final ConfigOption<String> TASK =
            ConfigOptions.key("task")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "FLIP-525's task type of the model: 'classification', 'regression',"
                                    + " 'clustering', 'embedding' or 'text_generation'. The"
                                    + " default task of ML_EVALUATE for this model.");

    /**
     * A cluster or session option (not a model option): when set, every model's directory must
     * lie under one of these roots, checked at plan time after resolving links.
     */
    public static final ConfigOption<List<String>> ALLOWED_MODEL_ROOTS =
            ConfigOptions.key("generic-python.allowed-model-roots")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Directories that generic-python model directories must lie under"
                                    + " (';'-separated). The predict class runs with the"
                                    + " TaskManager's rights, so this limits which code a CREATE"
                                    + " MODEL statement can run.");

    /** A cluster or session option: where each TaskManager host keeps fetched models. */
    public static final ConfigOption<String> MODEL_CACHE_DIRECTORY =
            ConfigOptions.key("generic-python.model-cache.directory")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Local directory of each TaskManager host where fetched and"
                                    + " extracted models are kept, shared by all subtasks and jobs."
                                    + " Default: 'pyflink-ml-predict-models' in the TaskManager's"
                                    + " temporary directory (java.io.tmpdir).");

    /** A cluster or session option: how long an unused fetched model stays cached. */
    public static final ConfigOption<Duration> MODEL_CACHE_RETENTION =
            ConfigOptions.key("generic-python.model-cache.retention")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How long a fetched model nobody uses stays in the model cache, so"
                                    + " that a restarted or resubmitted job finds it there. A model"
                                    + " whose content changed is fetched again, and its older copy"
                                    + " is deleted as soon as nobody uses it.");

    /** The OUTPUT column that, when declared, carries the Python error of an ignored row. */
    public static final String ERROR_STRING_COLUMN = "error-string";

    /** The OUTPUT column that, when declared, carries the model version that answered. */
    public static final String MODEL_VERSION_COLUMN = "model-version";

    /** What a failing row does. */
    public enum ErrorHandlingStrategy {
        FAILOVER,
        RETRY,
        IGNORE
    }

    /** What a row does once its retries are used up. */
    public enum RetryFallbackStrategy {
        FAILOVER,
        IGNORE
    }

    /** Who owns a Python worker. */
    public enum WorkerScope {
        SUBTASK,
        TASKMANAGER
    }

    /** Where the Python code runs. */
    public enum ExecutionMode {
        PROCESS,
        THREAD
    }

    private GenericPythonModelOptions() {}
}
