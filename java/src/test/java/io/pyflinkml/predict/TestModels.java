package io.pyflinkml.predict;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;
import io.pyflinkml.predict.GenericPythonModelOptions.RetryFallbackStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.WorkerScope;
import io.pyflinkml.predict.deploy.ModelDeployment;
import io.pyflinkml.predict.transport.PythonLaunch;

import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

import java.io.File;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Model configs for tests, with the provider's defaults unless a test says otherwise. */
public final class TestModels {

    private TestModels() {}

    /** A row type from its SQL fields, e.g. {@code row("x INT, s STRING")}. */
    public static RowType row(String fields) {
        return (RowType)
                LogicalTypeParser.parse("ROW<" + fields + ">", TestModels.class.getClassLoader());
    }

    public static ErrorHandling failover() {
        return new ErrorHandling(ErrorHandlingStrategy.FAILOVER, 3, RetryFallbackStrategy.FAILOVER);
    }

    public static ErrorHandling ignore() {
        return new ErrorHandling(ErrorHandlingStrategy.IGNORE, 3, RetryFallbackStrategy.FAILOVER);
    }

    public static Builder model(String pythonClass) {
        return new Builder(pythonClass);
    }

    /** A {@link ModelConfig} with named settings; everything else as the factory defaults it. */
    public static final class Builder {
        public String name = "m";
        public final String pythonClass;
        public String directory = new File(System.getProperty("java.io.tmpdir")).getAbsolutePath();
        public Map<String, String> properties = new HashMap<>();
        public RowType input = row("x INT");
        public RowType output = row("y INT");
        public ExecutionMode mode = ExecutionMode.PROCESS;
        public WorkerScope scope = WorkerScope.SUBTASK;
        public int sharedWorkers = 1;
        public String python = "python";
        public int batchSize = GenericPythonModelOptions.BATCH_SIZE.defaultValue();
        public Duration batchTimeout = GenericPythonModelOptions.BATCH_TIMEOUT.defaultValue();
        public int maxInFlight = 10;
        public ErrorHandling errorHandling = failover();
        public Duration timeout;
        public String version;
        public Duration updateInterval = GenericPythonModelOptions.MODEL_UPDATE_INTERVAL.defaultValue();
        public ModelDeployment deployment;
        /** When set, the config is localized with it (as a TaskManager runs the model). */
        public PythonLaunch launch;

        Builder(String pythonClass) {
            this.pythonClass = pythonClass;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder directory(String value) {
            directory = value;
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder input(String fields) {
            input = row(fields);
            return this;
        }

        public Builder input(RowType type) {
            input = type;
            return this;
        }

        public Builder output(String fields) {
            output = row(fields);
            return this;
        }

        public Builder output(RowType type) {
            output = type;
            return this;
        }

        public Builder scope(WorkerScope value, int workers) {
            scope = value;
            sharedWorkers = workers;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder batchTimeout(Duration value) {
            batchTimeout = value;
            return this;
        }

        public Builder maxInFlight(int value) {
            maxInFlight = value;
            return this;
        }

        public Builder errorHandling(ErrorHandling value) {
            errorHandling = value;
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Builder version(String value) {
            version = value;
            return this;
        }

        public Builder launch(PythonLaunch value) {
            launch = value;
            python = value.executable();
            return this;
        }

        public ModelConfig build() {
            ModelConfig config =
                    new ModelConfig(
                            name, pythonClass, directory, properties, input, output, mode, scope,
                            sharedWorkers, python, batchSize, batchTimeout, maxInFlight,
                            errorHandling, timeout, version, updateInterval, deployment);
            return launch == null ? config : config.localized(directory, launch);
        }
    }
}
