package io.pyflinkml.predict;

import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_SIZE;
import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_TIMEOUT;
import static io.pyflinkml.predict.GenericPythonModelOptions.ERROR_HANDLING_STRATEGY;
import static io.pyflinkml.predict.GenericPythonModelOptions.EXECUTION_MODE;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_DIRECTORY_CHECK;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_DIRECTORY_PATH;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_DIRECTORY_SHIP;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_UPDATE_INTERVAL;
import static io.pyflinkml.predict.GenericPythonModelOptions.MODEL_VERSION;
import static io.pyflinkml.predict.GenericPythonModelOptions.PROPERTIES_PREFIX;
import static io.pyflinkml.predict.GenericPythonModelOptions.PYTHON_PREDICT_CLASS;
import static io.pyflinkml.predict.GenericPythonModelOptions.RETRY_FALLBACK_STRATEGY;
import static io.pyflinkml.predict.GenericPythonModelOptions.RETRY_NUM;
import static io.pyflinkml.predict.GenericPythonModelOptions.WORKERS_PER_TASKMANAGER;
import static io.pyflinkml.predict.GenericPythonModelOptions.WORKER_SCOPE;
import static io.pyflinkml.predict.GenericPythonModelOptions.TASK;

import io.pyflinkml.predict.arrow.ArrowTypeSupport;
import io.pyflinkml.predict.deploy.ModelDeployment;
import io.pyflinkml.predict.deploy.ModelLocation;
import io.pyflinkml.predict.deploy.ModelLocations;
import io.pyflinkml.predict.deploy.PythonDependencies;
import io.pyflinkml.predict.evaluate.EvaluationTask;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.python.PythonOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.RowType;

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
        options.add(MODEL_DIRECTORY_SHIP);
        options.add(ERROR_HANDLING_STRATEGY);
        options.add(RETRY_NUM);
        options.add(RETRY_FALLBACK_STRATEGY);
        options.add(MODEL_VERSION);
        options.add(MODEL_UPDATE_INTERVAL);
        options.add(WORKER_SCOPE);
        options.add(WORKERS_PER_TASKMANAGER);
        options.add(TASK);
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
        checkRuntimeMode(modelName, session);
        ModelLocation location =
                ModelOptionChecks.location(
                        modelName,
                        options.get(MODEL_DIRECTORY_PATH),
                        options.get(MODEL_DIRECTORY_SHIP),
                        session.getOptional(GenericPythonModelOptions.ALLOWED_MODEL_ROOTS)
                                .orElse(null));
        String pythonClass =
                ModelOptionChecks.className(modelName, options.get(PYTHON_PREDICT_CLASS));
        int batchSize = ModelOptionChecks.batchSize(modelName, options.get(BATCH_SIZE));
        ErrorHandling errorHandling =
                ModelOptionChecks.errorHandling(
                        modelName,
                        options.get(ERROR_HANDLING_STRATEGY),
                        options.get(RETRY_NUM),
                        options.get(RETRY_FALLBACK_STRATEGY));

        int sharedWorkers =
                ModelOptionChecks.sharedWorkers(
                        modelName,
                        options.get(EXECUTION_MODE),
                        options.get(WORKER_SCOPE),
                        options.get(WORKERS_PER_TASKMANAGER));

        options.getOptional(TASK)
                .ifPresent(
                        task ->
                                EvaluationTask.of(
                                        task,
                                        String.format(
                                                "Option '%s' of model '%s'", TASK.key(), modelName)));

        RowType inputType = rowType(model.getResolvedInputSchema().toPhysicalRowDataType());
        RowType outputType = rowType(model.getResolvedOutputSchema().toPhysicalRowDataType());
        ModelOptionChecks.errorColumn(modelName, outputType);
        String modelVersion =
                ModelOptionChecks.modelVersion(
                        modelName,
                        options.getOptional(MODEL_VERSION).orElse(null),
                        options.get(MODEL_UPDATE_INTERVAL),
                        options.getOptional(MODEL_UPDATE_INTERVAL).isPresent());
        if (options.get(MODEL_DIRECTORY_CHECK)) {
            ModelLocations.Contents contents =
                    ModelLocations.check(modelName, location, pythonClass, modelVersion != null);
            ModelOptionChecks.pinnedVersionPresent(modelName, location, contents, modelVersion);
        }
        ModelOptionChecks.versionColumn(modelName, outputType, modelVersion);
        ArrowTypeSupport.checkSupported(modelName, "INPUT", inputType);
        ArrowTypeSupport.checkSupported(modelName, "OUTPUT", outputType);

        ModelDeployment deployment =
                new ModelDeployment(
                        location,
                        PythonDependencies.register(
                                modelName, session, location.shipName(), location.path()),
                        session.getOptional(GenericPythonModelOptions.MODEL_CACHE_DIRECTORY)
                                .orElse(null),
                        session.get(GenericPythonModelOptions.MODEL_CACHE_RETENTION),
                        modelVersion,
                        options.get(MODEL_UPDATE_INTERVAL));
        ModelConfig config =
                new ModelConfig(
                        modelName,
                        pythonClass,
                        location.inPlace() ? location.localDirectory() : location.path(),
                        userProperties(model.getOptions()),
                        inputType,
                        outputType,
                        options.get(EXECUTION_MODE),
                        options.get(WORKER_SCOPE),
                        sharedWorkers,
                        // Set by PyFlink to the local program's interpreter; 'python' on a cluster.
                        session.get(PythonOptions.PYTHON_EXECUTABLE),
                        batchSize,
                        options.get(BATCH_TIMEOUT),
                        session.get(InFlightCap.SESSION_OPTION),
                        errorHandling,
                        session.get(ExecutionConfigOptions.TABLE_EXEC_ASYNC_ML_PREDICT_TIMEOUT),
                        modelVersion,
                        options.get(MODEL_UPDATE_INTERVAL),
                        deployment);
        return new GenericPythonModelProvider(config);
    }

    /** Refused here, at plan time, rather than by the planner's "no valid execution plan". */
    private static void checkRuntimeMode(String modelName, ReadableConfig session) {
        if (session.get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH
                && !FlinkRelease.RUNNING.plansBatchMlPredict()) {
            throw new ValidationException(
                    String.format(
                            "Model '%s': %s cannot run ML_PREDICT in batch mode (batch"
                                    + " ML_PREDICT came with Flink 2.3). Run the query in"
                                    + " streaming mode, where a bounded source still ends the"
                                    + " job (SET 'execution.runtime-mode' = 'streaming', or"
                                    + " EnvironmentSettings.in_streaming_mode() in PyFlink),"
                                    + " or use Flink 2.3.",
                            modelName, FlinkRelease.RUNNING));
        }
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
}
