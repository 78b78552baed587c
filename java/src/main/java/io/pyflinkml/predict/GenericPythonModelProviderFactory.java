package io.pyflinkml.predict;

import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_SIZE;
import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_TIMEOUT;
import static io.pyflinkml.predict.GenericPythonModelOptions.EXECUTION_MODE;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_DIRECTORY_PATH;
import static io.pyflinkml.predict.GenericPythonModelOptions.PROPERTIES_PREFIX;
import static io.pyflinkml.predict.GenericPythonModelOptions.PYTHON_PREDICT_CLASS;

import io.pyflinkml.predict.arrow.ArrowBatchCodec;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.RowType;

import java.io.File;
import java.util.HashMap;
import java.util.HashSet;
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

    /** The planner's job-wide cap on async in-flight rows, unless the query's MAP sets one. */
    static final ConfigOption<Integer> MAX_CONCURRENT_OPERATIONS =
            ConfigOptions.key("table.exec.async-ml-predict.max-concurrent-operations")
                    .intType()
                    .defaultValue(10);

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

        String directory = validateDirectory(modelName, options.get(MODEL_DIRECTORY_PATH));
        String pythonClass = validateClassName(modelName, options.get(PYTHON_PREDICT_CLASS));
        int batchSize = validateBatchSize(modelName, options.get(BATCH_SIZE));

        RowType inputType = rowType(model.getResolvedInputSchema().toPhysicalRowDataType());
        RowType outputType = rowType(model.getResolvedOutputSchema().toPhysicalRowDataType());
        ArrowBatchCodec.checkSupported(modelName, "INPUT", inputType);
        ArrowBatchCodec.checkSupported(modelName, "OUTPUT", outputType);

        ModelConfig config =
                new ModelConfig(
                        modelName,
                        pythonClass,
                        directory,
                        userProperties(model.getOptions()),
                        inputType,
                        outputType,
                        options.get(EXECUTION_MODE),
                        context.getConfiguration().get(PYTHON_EXECUTABLE),
                        batchSize,
                        options.get(BATCH_TIMEOUT),
                        context.getConfiguration().get(MAX_CONCURRENT_OPERATIONS));
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

    private static String validateDirectory(String modelName, String path) {
        File directory = new File(path);
        if (!directory.isAbsolute()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be an absolute path, got '%s'.",
                            MODEL_DIRECTORY_PATH.key(), modelName, path));
        }
        if (!directory.isDirectory()) {
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
