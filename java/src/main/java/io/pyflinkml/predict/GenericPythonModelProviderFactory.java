package io.pyflinkml.predict;

import static io.pyflinkml.predict.GenericPythonModelOptions.ALLOWED_MODEL_ROOTS;
import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_SIZE;
import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_TIMEOUT;
import static io.pyflinkml.predict.GenericPythonModelOptions.ERROR_HANDLING_STRATEGY;
import static io.pyflinkml.predict.GenericPythonModelOptions.ERROR_STRING_COLUMN;
import static io.pyflinkml.predict.GenericPythonModelOptions.EXECUTION_MODE;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_DIRECTORY_CHECK;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_DIRECTORY_PATH;
import static io.pyflinkml.predict.GenericPythonModelOptions.PROPERTIES_PREFIX;
import static io.pyflinkml.predict.GenericPythonModelOptions.PYTHON_PREDICT_CLASS;
import static io.pyflinkml.predict.GenericPythonModelOptions.RETRY_FALLBACK_STRATEGY;
import static io.pyflinkml.predict.GenericPythonModelOptions.RETRY_NUM;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.RetryFallbackStrategy;

import io.pyflinkml.predict.arrow.ArrowTypeSupport;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code generic-python} model provider: runs a user's Python {@code PredictFunction}
 * subclass for ML_PREDICT. Everything that can be checked without running Python is checked
 * here, at plan time, naming the model and the option or column at fault.
 */
public class GenericPythonModelProviderFactory implements ModelProviderFactory {

    public static final String IDENTIFIER = "generic-python";

    /** Set by PyFlink to the interpreter of the local program; 'python' on a cluster. */
    static final ConfigOption<String> PYTHON_EXECUTABLE =
            ConfigOptions.key("python.executable").stringType().defaultValue("python");

    /** The planner's job-wide async timeout, unless the query's MAP sets one. */
    static final ConfigOption<Duration> ASYNC_TIMEOUT =
            ConfigOptions.key("table.exec.async-ml-predict.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(3));

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> options = new HashSet<>();
        options.add(MODEL_DIRECTORY_PATH);
        options.add(PYTHON_PREDICT_CLASS);
        return options;
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>();
        options.add(EXECUTION_MODE);
        options.add(BATCH_SIZE);
        options.add(BATCH_TIMEOUT);
        options.add(MODEL_DIRECTORY_CHECK);
        options.add(ERROR_HANDLING_STRATEGY);
        options.add(RETRY_NUM);
        options.add(RETRY_FALLBACK_STRATEGY);
        return options;
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        String modelName = context.getObjectIdentifier().asSummaryString();
        FactoryUtil.ModelProviderFactoryHelper helper =
                FactoryUtil.createModelProviderFactoryHelper(this, context);
        try {
            helper.validateExcept(PROPERTIES_PREFIX);
        } catch (ValidationException e) {
            throw new ValidationException(
                    String.format("Invalid options for model '%s': %s", modelName, e.getMessage()),
                    e);
        }
        ReadableConfig options = helper.getOptions();
        ResolvedCatalogModel model = context.getCatalogModel();

        ReadableConfig session = context.getConfiguration();
        String directory =
                validateDirectory(
                        modelName,
                        options.get(MODEL_DIRECTORY_PATH),
                        options.get(MODEL_DIRECTORY_CHECK),
                        session.getOptional(ALLOWED_MODEL_ROOTS).orElse(null));
        String pythonClass = validateClassName(modelName, options.get(PYTHON_PREDICT_CLASS));
        int batchSize = validateBatchSize(modelName, options.get(BATCH_SIZE));
        ErrorHandling errorHandling =
                errorHandling(
                        modelName,
                        options.get(ERROR_HANDLING_STRATEGY),
                        options.get(RETRY_NUM),
                        options.get(RETRY_FALLBACK_STRATEGY));

        RowType inputType = rowType(model.getResolvedInputSchema().toPhysicalRowDataType());
        RowType outputType = rowType(model.getResolvedOutputSchema().toPhysicalRowDataType());
        validateErrorColumn(modelName, outputType);
        ArrowTypeSupport.checkSupported(modelName, "INPUT", inputType);
        ArrowTypeSupport.checkSupported(modelName, "OUTPUT", outputType);

        ModelConfig config =
                new ModelConfig(
                        modelName,
                        pythonClass,
                        directory,
                        userProperties(model.getOptions()),
                        inputType,
                        outputType,
                        options.get(EXECUTION_MODE),
                        session.get(PYTHON_EXECUTABLE),
                        batchSize,
                        options.get(BATCH_TIMEOUT),
                        session.get(InFlightCap.SESSION_OPTION),
                        errorHandling,
                        session.get(ASYNC_TIMEOUT));
        return new GenericPythonModelProvider(config);
    }

    private static RowType rowType(org.apache.flink.table.types.DataType dataType) {
        return (RowType) dataType.getLogicalType();
    }

    static Map<String, String> userProperties(Map<String, String> options) {
        Map<String, String> properties = new HashMap<>();
        options.forEach(
                (key, value) -> {
                    if (key.startsWith(PROPERTIES_PREFIX)) {
                        properties.put(key.substring(PROPERTIES_PREFIX.length()), value);
                    }
                });
        return properties;
    }

    private static String validateDirectory(
            String modelName, String path, boolean mustExist, List<String> allowedRoots) {
        File directory = new File(path);
        if (!directory.isAbsolute()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be an absolute path, got '%s'.",
                            MODEL_DIRECTORY_PATH.key(), modelName, path));
        }
        if (allowedRoots != null) {
            checkUnderAllowedRoot(modelName, directory, allowedRoots);
        }
        if (mustExist && !directory.isDirectory()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' names '%s', which is not a directory%s.",
                            MODEL_DIRECTORY_PATH.key(),
                            modelName,
                            path,
                            directory.exists() ? "" : " (it does not exist)"));
        }
        return directory.getAbsolutePath();
    }

    /** Compares real paths, so neither '..' nor a symbolic link escapes a root. */
    private static void checkUnderAllowedRoot(
            String modelName, File directory, List<String> allowedRoots) {
        Path real = realPath(directory);
        for (String root : allowedRoots) {
            if (!root.trim().isEmpty() && real.startsWith(realPath(new File(root.trim())))) {
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

    /** The real path where it exists; otherwise the normalized absolute path. */
    private static Path realPath(File file) {
        try {
            return file.toPath().toRealPath();
        } catch (IOException e) {
            return Paths.get(file.getAbsolutePath()).normalize();
        }
    }

    private static void validateErrorColumn(String modelName, RowType outputType) {
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

    private static String validateClassName(String modelName, String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+")) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be 'module.ClassName' (a dotted Python"
                                    + " path), got '%s'.",
                            PYTHON_PREDICT_CLASS.key(), modelName, name));
        }
        return name;
    }

    static int validateBatchSize(String modelName, int batchSize) {
        if (batchSize < 1) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be at least 1, got %d.",
                            BATCH_SIZE.key(), modelName, batchSize));
        }
        return batchSize;
    }
}
