package io.pyflinkml.predict;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.api.config.MLPredictRuntimeConfigOptions;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.ContextResolvedModel;
import org.apache.flink.table.catalog.UnresolvedIdentifier;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.Map;
import java.util.Optional;

/**
 * Flink's async operator admits at most {@code max-concurrent-operations} rows (10 unless the
 * query or the session says otherwise), and a batch can only hold rows in flight. The provider
 * cannot raise that cap itself: the planner reads it from the query's MAP and the session only.
 * This class holds the rule for the cap that lets a model batch fully, the plan-time advice, and
 * the look-up this project's own tools use to pick the cap for their queries.
 */
public final class InFlightCap {

    /** The ML_PREDICT MAP key (the planner's own option). */
    public static final ConfigOption<Integer> QUERY_OPTION =
            MLPredictRuntimeConfigOptions.ASYNC_MAX_CONCURRENT_OPERATIONS;

    /** The session option, with the planner's default (the planner's own option). */
    public static final ConfigOption<Integer> SESSION_OPTION =
            ExecutionConfigOptions.TABLE_EXEC_ASYNC_ML_PREDICT_MAX_CONCURRENT_OPERATIONS;

    private InFlightCap() {}

    /** Two batches in flight: one predicted while the next fills. */
    public static int recommended(int batchSize) {
        return 2 * batchSize;
    }

    /** The line logged at plan time when the cap keeps batches smaller, or null when not. */
    public static String advice(String modelName, int cap, int batchSize) {
        int wanted = recommended(batchSize);
        if (cap >= wanted) {
            return null;
        }
        return String.format(
                "Model '%s': ML_PREDICT keeps at most %d rows in flight, so its batches hold at"
                        + " most %d rows, not batch-size %d. To batch fully, run SET '%s' = '%d';"
                        + " or pass MAP['%s', '%d'] to ML_PREDICT.",
                modelName, cap, cap, batchSize, SESSION_OPTION.key(), wanted, QUERY_OPTION.key(),
                wanted);
    }

    /** The cap the session (or the cluster's configuration) sets, or -1. */
    public static int sessionCap(TableEnvironment tEnv) {
        return tEnv.getConfig().getOptional(SESSION_OPTION).orElse(-1);
    }

    /**
     * The cap this project's tools give a query of {@code model} (a name as the query writes it)
     * whose MAP sets {@code queryBatchSize} (null: the model's own batch size); -1 when the model
     * is not a generic-python one.
     */
    public static int forTools(TableEnvironment tEnv, String model, String queryBatchSize) {
        CatalogManager catalogs = ((TableEnvironmentInternal) tEnv).getCatalogManager();
        Optional<ContextResolvedModel> resolved =
                catalogs.getModel(
                        catalogs.qualifyIdentifier(UnresolvedIdentifier.of(model.split("\\."))));
        if (!resolved.isPresent()) {
            return -1;
        }
        Map<String, String> options = resolved.get().getResolvedModel().getOptions();
        if (!GenericPythonModelProviderFactory.IDENTIFIER.equals(
                options.get(FactoryUtil.PROVIDER.key()))) {
            return -1;
        }
        String batchSize =
                queryBatchSize != null
                        ? queryBatchSize
                        : options.get(GenericPythonModelOptions.BATCH_SIZE.key());
        return recommended(
                batchSize == null
                        ? GenericPythonModelOptions.BATCH_SIZE.defaultValue()
                        : Integer.parseInt(batchSize.trim()));
    }
}
