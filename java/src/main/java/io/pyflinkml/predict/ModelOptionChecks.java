package io.pyflinkml.predict;

import static io.pyflinkml.predict.GenericPythonModelOptions.ALLOWED_MODEL_ROOTS;
import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_SIZE;
import static io.pyflinkml.predict.GenericPythonModelOptions.EXECUTION_MODE;
import static io.pyflinkml.predict.GenericPythonModelOptions.ERROR_STRING_COLUMN;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_DIRECTORY_PATH;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_UPDATE_INTERVAL;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_VERSION;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_VERSION_COLUMN;
import static io.pyflinkml.predict.GenericPythonModelOptions.PYTHON_PREDICT_CLASS;
import static io.pyflinkml.predict.GenericPythonModelOptions.RETRY_NUM;
import static io.pyflinkml.predict.GenericPythonModelOptions.WORKERS_PER_TASKMANAGER;
import static io.pyflinkml.predict.GenericPythonModelOptions.WORKER_SCOPE;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;
import io.pyflinkml.predict.GenericPythonModelOptions.RetryFallbackStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.WorkerScope;

import io.pyflinkml.predict.deploy.ModelLocation;
import io.pyflinkml.predict.deploy.ModelLocations;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

/**
 * The plan-time checks of a model's options, shared by {@code CREATE MODEL} (the factory) and
 * the query's {@code MAP} (the provider): each names the model and the option or column at fault.
 */
final class ModelOptionChecks {

    private ModelOptionChecks() {}

    /**
     * Parses model-directory-path and, when it must exist, checks it where the query is
     * planned; returns the location and what the check saw (null when unchecked).
     */
    static ModelLocation location(
            String modelName, String path, boolean ship, List<String> allowedRoots) {
        ModelLocation location = ModelLocations.parse(modelName, path, ship);
        if (allowedRoots != null) {
            checkUnderAllowedRoot(modelName, location, allowedRoots);
        }
        return location;
    }

    /**
     * Compares real paths, so neither '..' nor a symbolic link escapes a root; a URI on another
     * file system must lie under a root given as a URI of the same file system, compared after
     * '..' is resolved.
     */
    private static void checkUnderAllowedRoot(
            String modelName, ModelLocation location, List<String> allowedRoots) {
        boolean local = location.isLocal();
        String directory = local ? location.localDirectory() : location.path();
        Path real = local ? realPath(new File(directory)) : null;
        for (String root : allowedRoots) {
            String trimmed = root.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (local ? real.startsWith(realPath(new File(trimmed))) : uriUnder(directory, trimmed)) {
                return;
            }
        }
        throw new ValidationException(
                String.format(
                        "Option '%s' of model '%s' names '%s', which is not under any of the"
                                + " directories allowed by '%s': %s.",
                        MODEL_DIRECTORY_PATH.key(),
                        modelName,
                        directory,
                        ALLOWED_MODEL_ROOTS.key(),
                        allowedRoots));
    }

    private static boolean uriUnder(String path, String root) {
        try {
            URI target = new org.apache.flink.core.fs.Path(path).toUri().normalize();
            URI base = new org.apache.flink.core.fs.Path(root).toUri().normalize();
            String basePath = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
            return target.getScheme() != null
                    && target.getScheme().equalsIgnoreCase(base.getScheme())
                    && java.util.Objects.equals(target.getAuthority(), base.getAuthority())
                    && !target.getPath().contains("/../")
                    && (target.getPath() + "/").startsWith(basePath);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The real path where it exists; otherwise the normalized absolute path. */
    private static Path realPath(File file) {
        try {
            return file.toPath().toRealPath();
        } catch (IOException e) {
            return Paths.get(file.getAbsolutePath()).normalize();
        }
    }

    static void errorColumn(String modelName, RowType outputType) {
        int index = outputType.getFieldNames().indexOf(ERROR_STRING_COLUMN);
        if (index < 0) {
            return;
        }
        if (!outputType.getTypeAt(index).is(LogicalTypeFamily.CHARACTER_STRING)
                || !outputType.getTypeAt(index).isNullable()) {
            throw new ValidationException(
                    String.format(
                            "OUTPUT column `%s` of model '%s' carries the error of an ignored row"
                                    + " and must be a nullable STRING, got %s.",
                            ERROR_STRING_COLUMN, modelName, outputType.getTypeAt(index)));
        }
        for (RowType.RowField field : outputType.getFields()) {
            if (!field.getType().isNullable()) {
                throw new ValidationException(
                        String.format(
                                "OUTPUT column `%s` of model '%s' is NOT NULL, but a row skipped by"
                                        + " the error policy has NULL there beside its `%s`;"
                                        + " declare it nullable.",
                                field.getName(), modelName, ERROR_STRING_COLUMN));
            }
        }
        if (outputType.getFieldCount() == 1) {
            throw new ValidationException(
                    String.format(
                            "Model '%s' declares only the `%s` OUTPUT column; it needs at least"
                                    + " one column for the model's results.",
                            modelName, ERROR_STRING_COLUMN));
        }
    }

    static ErrorHandling errorHandling(
            String modelName,
            ErrorHandlingStrategy strategy,
            int retryNum,
            RetryFallbackStrategy fallback) {
        if (retryNum < 0) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be at least 0, got %d.",
                            RETRY_NUM.key(), modelName, retryNum));
        }
        return new ErrorHandling(strategy, retryNum, fallback);
    }

    static String className(String modelName, String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+")) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be 'module.ClassName' (a dotted Python"
                                    + " path), got '%s'.",
                            PYTHON_PREDICT_CLASS.key(), modelName, name));
        }
        return name;
    }

    static int batchSize(String modelName, int batchSize) {
        if (batchSize < 1) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be at least 1, got %d.",
                            BATCH_SIZE.key(), modelName, batchSize));
        }
        return batchSize;
    }

    /** Sharing needs worker processes: one embedded CPython cannot serve several subtasks. */
    static int sharedWorkers(
            String modelName, ExecutionMode mode, WorkerScope scope, int workers) {
        if (scope == WorkerScope.TASKMANAGER && mode == ExecutionMode.THREAD) {
            throw new ValidationException(
                    String.format(
                            "Model '%s' sets '%s' = 'taskmanager', which shares Python worker"
                                    + " processes among subtasks and needs '%s' = 'process'; in"
                                    + " 'thread' mode each subtask runs the model in the"
                                    + " TaskManager's embedded CPython.",
                            modelName, WORKER_SCOPE.key(), EXECUTION_MODE.key()));
        }
        if (workers < 1) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be at least 1, got %d.",
                            WORKERS_PER_TASKMANAGER.key(), modelName, workers));
        }
        return workers;
    }

    /**
     * model-version: 'latest' or a version number, a pinned version's directory present when
     * directories are checked; the update interval only with 'latest'. Which subdirectories
     * are versions is the Python side's rule (runtime/versions.py): ASCII digits, as here;
     * tests/fixtures/shared_rules.json lists the names both sides' tests check.
     */
    static String modelVersion(
            String modelName, String version, Duration interval, boolean intervalSet) {
        if (version == null) {
            if (intervalSet) {
                throw new ValidationException(
                        String.format(
                                "Model '%s' sets '%s' but no '%s'; set '%s' = 'latest' to pick"
                                        + " up new versions.",
                                modelName, MODEL_UPDATE_INTERVAL.key(), MODEL_VERSION.key(),
                                MODEL_VERSION.key()));
            }
            return null;
        }
        String trimmed = version.trim();
        if (!trimmed.equals("latest") && !trimmed.matches("[0-9]+")) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be 'latest' or a version number, got"
                                    + " '%s'.",
                            MODEL_VERSION.key(), modelName, version));
        }
        if (!trimmed.equals("latest") && intervalSet) {
            throw new ValidationException(
                    String.format(
                            "Model '%s' pins '%s' = '%s', so '%s' has nothing to look for; drop"
                                    + " it or use 'latest'.",
                            modelName, MODEL_VERSION.key(), trimmed, MODEL_UPDATE_INTERVAL.key()));
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be positive, got %s.",
                            MODEL_UPDATE_INTERVAL.key(), modelName, interval));
        }
        return trimmed;
    }

    /** A pinned version's directory is there, where the client could look. */
    static void pinnedVersionPresent(
            String modelName, ModelLocation location, ModelLocations.Contents contents,
            String version) {
        if (contents == null || version == null || version.equals("latest")
                || contents.hasDirectory(version)) {
            return;
        }
        throw new ValidationException(
                String.format(
                        "Model '%s' pins '%s' = '%s', but '%s' has no directory '%s'.",
                        modelName, MODEL_VERSION.key(), version, location.path(), version));
    }

    /** The model-version OUTPUT column: a nullable STRING, and only for a versioned model. */
    static void versionColumn(String modelName, RowType outputType, String version) {
        int index = outputType.getFieldNames().indexOf(MODEL_VERSION_COLUMN);
        if (index < 0) {
            return;
        }
        if (version == null) {
            throw new ValidationException(
                    String.format(
                            "OUTPUT column `%s` of model '%s' carries the version that answered,"
                                    + " but the model sets no '%s'.",
                            MODEL_VERSION_COLUMN, modelName, MODEL_VERSION.key()));
        }
        if (!outputType.getTypeAt(index).is(LogicalTypeFamily.CHARACTER_STRING)
                || !outputType.getTypeAt(index).isNullable()) {
            throw new ValidationException(
                    String.format(
                            "OUTPUT column `%s` of model '%s' must be a nullable STRING, got %s.",
                            MODEL_VERSION_COLUMN, modelName, outputType.getTypeAt(index)));
        }
        int special = outputType.getFieldNames().contains(ERROR_STRING_COLUMN) ? 2 : 1;
        if (outputType.getFieldCount() == special) {
            throw new ValidationException(
                    String.format(
                            "Model '%s' declares no OUTPUT column for the model's results, only"
                                    + " `%s`%s.",
                            modelName, MODEL_VERSION_COLUMN,
                            special == 2 ? " and `" + ERROR_STRING_COLUMN + "`" : ""));
        }
    }
}
