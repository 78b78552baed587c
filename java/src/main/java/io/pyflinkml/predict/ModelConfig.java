package io.pyflinkml.predict;

import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;
import io.pyflinkml.predict.GenericPythonModelOptions.WorkerScope;
import io.pyflinkml.predict.deploy.ModelDeployment;
import io.pyflinkml.predict.transport.PythonLaunch;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimeType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one model's Python side needs, fixed at plan time. Serialized to the JSON that
 * {@code PredictFunction.set_model_config} receives.
 */
public final class ModelConfig implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String modelName;
    private final String pythonClass;
    private final String modelDirectory;
    private final TreeMap<String, String> properties;
    private final RowType inputType;
    private final RowType declaredOutputType;
    private final RowType outputType;
    private final int errorColumn;
    private final int versionColumn;
    private final String modelVersion;
    private final Duration updateInterval;
    private final ExecutionMode executionMode;
    private final WorkerScope workerScope;
    private final int sharedWorkers;
    private final String pythonExecutable;
    private final int batchSize;
    private final Duration batchTimeout;
    private final int maxInFlight;
    private final ErrorHandling errorHandling;
    private final Duration timeout;
    private final ModelDeployment deployment;
    private final PythonLaunch launch;

    /**
     * @param declaredOutputType the OUTPUT schema as declared, possibly with the
     *     {@code error-string} column, which Python never sees
     * @param timeout how long one batch may take before its worker is stopped (the async
     *     timeout); null for none
     */
    public ModelConfig(
            String modelName,
            String pythonClass,
            String modelDirectory,
            Map<String, String> properties,
            RowType inputType,
            RowType declaredOutputType,
            ExecutionMode executionMode,
            WorkerScope workerScope,
            int sharedWorkers,
            String pythonExecutable,
            int batchSize,
            Duration batchTimeout,
            int maxInFlight,
            ErrorHandling errorHandling,
            Duration timeout,
            String modelVersion,
            Duration updateInterval,
            ModelDeployment deployment) {
        this.modelName = modelName;
        this.pythonClass = pythonClass;
        this.modelDirectory = modelDirectory;
        this.properties = new TreeMap<>(properties);
        this.inputType = inputType;
        this.declaredOutputType = declaredOutputType;
        this.errorColumn =
                declaredOutputType
                        .getFieldNames()
                        .indexOf(GenericPythonModelOptions.ERROR_STRING_COLUMN);
        this.versionColumn =
                declaredOutputType
                        .getFieldNames()
                        .indexOf(GenericPythonModelOptions.MODEL_VERSION_COLUMN);
        // Python never sees the columns the provider fills itself.
        this.outputType =
                without(
                        declaredOutputType,
                        GenericPythonModelOptions.ERROR_STRING_COLUMN,
                        GenericPythonModelOptions.MODEL_VERSION_COLUMN);
        this.modelVersion = modelVersion;
        this.updateInterval = updateInterval;
        this.executionMode = executionMode;
        this.workerScope = workerScope;
        this.sharedWorkers = sharedWorkers;
        this.pythonExecutable = pythonExecutable;
        this.batchSize = batchSize;
        this.batchTimeout = batchTimeout;
        this.maxInFlight = maxInFlight;
        this.errorHandling = errorHandling;
        this.timeout = timeout;
        this.deployment = deployment;
        this.launch = PythonLaunch.of(pythonExecutable);
    }

    /** The same model as a TaskManager runs it: its local directory and Python environment. */
    private ModelConfig(ModelConfig planned, String localDirectory, PythonLaunch localLaunch) {
        this.modelName = planned.modelName;
        this.pythonClass = planned.pythonClass;
        this.modelDirectory = localDirectory;
        this.properties = planned.properties;
        this.inputType = planned.inputType;
        this.declaredOutputType = planned.declaredOutputType;
        this.outputType = planned.outputType;
        this.errorColumn = planned.errorColumn;
        this.versionColumn = planned.versionColumn;
        this.modelVersion = planned.modelVersion;
        this.updateInterval = planned.updateInterval;
        this.executionMode = planned.executionMode;
        this.workerScope = planned.workerScope;
        this.sharedWorkers = planned.sharedWorkers;
        this.pythonExecutable = planned.pythonExecutable;
        this.batchSize = planned.batchSize;
        this.batchTimeout = planned.batchTimeout;
        this.maxInFlight = planned.maxInFlight;
        this.errorHandling = planned.errorHandling;
        this.timeout = planned.timeout;
        this.deployment = planned.deployment;
        this.launch = localLaunch;
    }

    /** This model with its directory in place on this TaskManager and its Python set up. */
    public ModelConfig localized(String localDirectory, PythonLaunch localLaunch) {
        return new ModelConfig(this, localDirectory, localLaunch);
    }

    /** The same model with batching, in-flight cap, error policy and timeout as one query runs it. */
    public ModelConfig withRuntime(
            int newBatchSize,
            Duration newBatchTimeout,
            int newMaxInFlight,
            ErrorHandling newErrorHandling,
            Duration newTimeout) {
        return new ModelConfig(
                modelName, pythonClass, modelDirectory, properties, inputType, declaredOutputType,
                executionMode, workerScope, sharedWorkers, pythonExecutable, newBatchSize, newBatchTimeout, newMaxInFlight,
                newErrorHandling, newTimeout, modelVersion, updateInterval, deployment);
    }

    private static RowType without(RowType rowType, String... names) {
        List<RowType.RowField> fields = new ArrayList<>(rowType.getFields());
        fields.removeIf(field -> java.util.Arrays.asList(names).contains(field.getName()));
        return fields.size() == rowType.getFieldCount()
                ? rowType
                : new RowType(rowType.isNullable(), fields);
    }

    public String modelName() {
        return modelName;
    }

    public String pythonClass() {
        return pythonClass;
    }

    public String modelDirectory() {
        return modelDirectory;
    }

    public RowType inputType() {
        return inputType;
    }

    /** The OUTPUT columns the Python class produces (without {@code error-string}). */
    public RowType outputType() {
        return outputType;
    }

    /** The OUTPUT columns as declared, which each result row of ML_PREDICT's model part has. */
    public RowType declaredOutputType() {
        return declaredOutputType;
    }

    /** Position of the {@code model-version} column in the declared OUTPUT, or -1. */
    public int versionColumn() {
        return versionColumn;
    }

    /** Position of the {@code error-string} column in the declared OUTPUT, or -1. */
    public int errorColumn() {
        return errorColumn;
    }

    public ErrorHandling errorHandling() {
        return errorHandling;
    }

    /** Longest time one batch may take; null for no limit. */
    public Duration timeout() {
        return timeout;
    }

    public ExecutionMode executionMode() {
        return executionMode;
    }

    public WorkerScope workerScope() {
        return workerScope;
    }

    /** With worker-scope 'taskmanager': the shared workers per TaskManager. */
    public int sharedWorkers() {
        return sharedWorkers;
    }

    /**
     * What subtasks must agree on to share workers: everything Python sees and everything that
     * shapes a batch or its timeout.
     */
    public String sharingKey() {
        return String.join(
                "\n",
                toJson(),
                String.valueOf(pythonExecutable),
                String.valueOf(launch),
                deployment == null ? "" : deployment.describe(),
                String.valueOf(batchSize),
                String.valueOf(timeout),
                String.valueOf(sharedWorkers));
    }

    public String pythonExecutable() {
        return pythonExecutable;
    }

    /** How to start the model's Python (with the job's dependencies once localized). */
    public PythonLaunch launch() {
        return launch;
    }

    /** What a TaskManager puts in place first; null for a config made outside a plan. */
    public ModelDeployment deployment() {
        return deployment;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration batchTimeout() {
        return batchTimeout;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    /** A short description for error messages: never includes property values. */
    public String describe() {
        return String.format("model '%s' (class %s)", modelName, pythonClass);
    }

    /**
     * Everything but property values, which may be secrets: which keys count as secret is
     * Python's rule ({@code is_secret} in {@code pyflink_ml_predict/api/model_config.py}), and
     * the Java side needs none, since it names properties by key only.
     */
    @Override
    public String toString() {
        return String.format(
                "ModelConfig{%s, directory=%s, properties=%s, input=%s, output=%s, mode=%s,"
                        + " batchSize=%d, batchTimeout=%s, maxInFlight=%d, errors=%s, timeout=%s}",
                describe(), modelDirectory, properties.keySet(), inputType, declaredOutputType,
                executionMode, batchSize, batchTimeout, maxInFlight, errorHandling, timeout);
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("model_name", modelName);
        root.put("python_class", pythonClass);
        root.put("model_directory", modelDirectory);
        ObjectNode props = root.putObject("properties");
        properties.forEach(props::put);
        root.set("input_schema", columnsToJson(inputType));
        root.set("output_schema", columnsToJson(outputType));
        ObjectNode runtime = root.putObject("runtime");
        runtime.put("execution_mode", executionMode.name().toLowerCase());
        runtime.put("python_executable", pythonExecutable);
        runtime.put("batch_size", batchSize);
        runtime.put("batch_timeout_ms", batchTimeout.toMillis());
        runtime.put("max_in_flight", maxInFlight);
        errorHandling.writeTo(runtime.putObject("error_handling"));
        if (modelVersion != null) {
            ObjectNode versions = runtime.putObject("versions");
            versions.put("version", modelVersion);
            versions.put("update_interval_ms", updateInterval.toMillis());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot serialize the config of " + describe(), e);
        }
    }

    private static ArrayNode columnsToJson(RowType rowType) {
        ArrayNode columns = JSON.createArrayNode();
        for (RowType.RowField field : rowType.getFields()) {
            ObjectNode column = columns.addObject();
            column.put("name", field.getName());
            column.set("type", typeToJson(field.getType()));
        }
        return columns;
    }

    /**
     * A structured type description, so Python needs no parser for Flink's type strings. Python
     * writes the same JSON for models run without Flink ({@code FlinkType.to_json});
     * tests/integration/test_wire.py checks the two agree.
     */
    static ObjectNode typeToJson(LogicalType type) {
        ObjectNode node = JSON.createObjectNode();
        node.put("root", type.getTypeRoot().name());
        node.put("nullable", type.isNullable());
        node.put("sql", type.asSerializableString());
        if (type instanceof DecimalType) {
            node.put("precision", ((DecimalType) type).getPrecision());
            node.put("scale", ((DecimalType) type).getScale());
        } else if (type instanceof TimestampType) {
            node.put("precision", ((TimestampType) type).getPrecision());
        } else if (type instanceof LocalZonedTimestampType) {
            node.put("precision", ((LocalZonedTimestampType) type).getPrecision());
        } else if (type instanceof TimeType) {
            node.put("precision", ((TimeType) type).getPrecision());
        } else if (type.is(LogicalTypeFamily.CHARACTER_STRING)
                || type.is(LogicalTypeFamily.BINARY_STRING)) {
            node.put("length", LogicalTypeChecks.getLength(type));
        } else if (type instanceof ArrayType) {
            node.set("element", typeToJson(((ArrayType) type).getElementType()));
        } else if (type instanceof MapType) {
            node.set("key", typeToJson(((MapType) type).getKeyType()));
            node.set("value", typeToJson(((MapType) type).getValueType()));
        } else if (type instanceof RowType) {
            node.set("fields", columnsToJson((RowType) type));
        }
        return node;
    }
}
