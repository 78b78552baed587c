package io.pyflinkml.predict.evaluate;

import io.pyflinkml.predict.GenericPythonModelOptions;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ContextResolvedModel;
import org.apache.flink.table.catalog.UnresolvedIdentifier;

import java.util.List;

/**
 * What ML_EVALUATE needs to know of a model to run as ML_PREDICT plus ML_EVALUATE_METRICS
 * (this project's tools rewrite it so): the task, and which OUTPUT column is the prediction.
 */
public final class ModelEvaluation {

    private ModelEvaluation() {}

    /**
     * The task to evaluate {@code model} (a name as the query writes it) for: {@code explicit}
     * when given (ML_EVALUATE's task argument overrides the model's), else the model's 'task'
     * option. Fails naming the model when neither says.
     */
    public static String task(TableEnvironment tEnv, String model, String explicit) {
        if (explicit != null) {
            return EvaluationTask.of(explicit, "ML_EVALUATE on model '" + model + "'").sqlName();
        }
        String option =
                resolve(tEnv, model)
                        .getResolvedModel()
                        .getOptions()
                        .get(GenericPythonModelOptions.TASK.key());
        if (option == null) {
            throw new ValidationException(
                    String.format(
                            "ML_EVALUATE on model '%s': no task given, and the model has no '%s'"
                                    + " option; pass task => '...' (one of %s) or set the"
                                    + " option in CREATE MODEL.",
                            model, GenericPythonModelOptions.TASK.key(), EvaluationTask.names()));
        }
        return EvaluationTask.of(
                        option,
                        String.format(
                                "Option '%s' of model '%s'",
                                GenericPythonModelOptions.TASK.key(), model))
                .sqlName();
    }

    /**
     * Where the prediction is among ML_PREDICT's columns, counted from the end (ML_PREDICT gives
     * the input's columns, then the OUTPUT columns, renamed where they clash): the first OUTPUT
     * column other than the error and version columns, which the provider fills.
     */
    public static int predictionFromEnd(TableEnvironment tEnv, String model) {
        List<Column> outputs =
                resolve(tEnv, model).getResolvedModel().getResolvedOutputSchema().getColumns();
        for (int i = 0; i < outputs.size(); i++) {
            String name = outputs.get(i).getName();
            if (!GenericPythonModelOptions.ERROR_STRING_COLUMN.equals(name)
                    && !GenericPythonModelOptions.MODEL_VERSION_COLUMN.equals(name)) {
                return outputs.size() - i;
            }
        }
        throw new ValidationException("Model '" + model + "' has no OUTPUT column to evaluate.");
    }

    private static ContextResolvedModel resolve(TableEnvironment tEnv, String model) {
        CatalogManager catalogs = ((TableEnvironmentImpl) tEnv).getCatalogManager();
        return catalogs.getModel(
                        catalogs.qualifyIdentifier(UnresolvedIdentifier.of(model.split("\\."))))
                .orElseThrow(
                        () ->
                                new ValidationException(
                                        "ML_EVALUATE: there is no model '" + model + "'."));
    }
}
