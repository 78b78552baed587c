package io.pyflinkml.predict;

import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_SIZE;
import static io.pyflinkml.predict.GenericPythonModelOptions.BATCH_TIMEOUT;
import static io.pyflinkml.predict.GenericPythonModelOptions.ERROR_HANDLING_STRATEGY;
import static io.pyflinkml.predict.GenericPythonModelOptions.RETRY_FALLBACK_STRATEGY;
import static io.pyflinkml.predict.GenericPythonModelOptions.RETRY_NUM;

import io.pyflinkml.predict.runtime.BatchingAsyncModelFunction;
import io.pyflinkml.predict.runtime.SyncModelFunction;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.config.MLPredictRuntimeConfigOptions;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Offers the FLIP's {@link PythonPredictRuntimeProvider} and, so that stock Flink can run it, the
 * planner's sync and async runtime providers. Without {@code MAP['async', ...]} the planner
 * picks async, which batches rows.
 */
public class GenericPythonModelProvider
        implements PythonPredictRuntimeProvider, PredictRuntimeProvider, AsyncPredictRuntimeProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GenericPythonModelProvider.class);

    private final ModelConfig config;

    public GenericPythonModelProvider(ModelConfig config) {
        this.config = config;
    }

    @Override
    public GenericPythonPredictFunction getPythonPredictFunction() {
        return new GenericPythonPredictFunction(config);
    }

    @Override
    public PredictFunction createPredictFunction(ModelProvider.Context context) {
        return new SyncModelFunction(withRuntimeConfig(context.runtimeConfig()));
    }

    /** Called when the query is planned: says so when the in-flight cap keeps batches small. */
    @Override
    public AsyncPredictFunction createAsyncPredictFunction(ModelProvider.Context context) {
        ModelConfig runtime = withRuntimeConfig(context.runtimeConfig());
        String advice =
                InFlightCap.advice(runtime.modelName(), runtime.maxInFlight(), runtime.batchSize());
        if (advice != null) {
            LOG.info(advice);
        }
        return new BatchingAsyncModelFunction(runtime);
    }

    /**
     * The query's MAP overrides the model's batching and error options, the in-flight cap and
     * the timeout.
     */
    ModelConfig withRuntimeConfig(ReadableConfig runtimeConfig) {
        int batchSize =
                ModelOptionChecks.batchSize(
                        config.modelName(),
                        runtimeConfig.getOptional(BATCH_SIZE).orElse(config.batchSize()));
        ErrorHandling modelDefault = config.errorHandling();
        ErrorHandling errorHandling =
                ModelOptionChecks.errorHandling(
                        config.modelName(),
                        runtimeConfig.getOptional(ERROR_HANDLING_STRATEGY)
                                .orElse(modelDefault.strategy()),
                        runtimeConfig.getOptional(RETRY_NUM).orElse(modelDefault.retryNum()),
                        runtimeConfig.getOptional(RETRY_FALLBACK_STRATEGY)
                                .orElse(modelDefault.fallback()));
        return config.withRuntime(
                batchSize,
                runtimeConfig.getOptional(BATCH_TIMEOUT).orElse(config.batchTimeout()),
                runtimeConfig.getOptional(InFlightCap.QUERY_OPTION).orElse(config.maxInFlight()),
                errorHandling,
                runtimeConfig.getOptional(MLPredictRuntimeConfigOptions.ASYNC_TIMEOUT).orElse(config.timeout()));
    }

    @Override
    public ModelProvider copy() {
        return new GenericPythonModelProvider(config);
    }
}
