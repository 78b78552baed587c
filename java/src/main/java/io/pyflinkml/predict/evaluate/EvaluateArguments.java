package io.pyflinkml.predict.evaluate;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.ArgumentCount;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.inference.ConstantArgumentCount;
import org.apache.flink.table.types.inference.InputTypeStrategy;
import org.apache.flink.table.types.inference.Signature;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Plan-time checks of {@code ML_EVALUATE_METRICS(task, label, prediction)}: the task is a known
 * string literal, and the label and prediction types are ones that task takes. The types are
 * then passed on unchanged (the function reads them as Java objects).
 */
final class EvaluateArguments implements InputTypeStrategy {

    @Override
    public ArgumentCount getArgumentCount() {
        return ConstantArgumentCount.of(3);
    }

    @Override
    public Optional<List<DataType>> inferInputTypes(
            CallContext call, boolean throwOnFailure) {
        List<DataType> types = call.getArgumentDataTypes();
        if (!literalsKnown(call)) {
            return Optional.of(types);
        }
        try {
            EvaluationTask task = task(call);
            for (int i = 1; i <= 2; i++) {
                if (types.get(i).getLogicalType().is(LogicalTypeRoot.NULL)) {
                    throw new ValidationException(
                            String.format(
                                    "%s('%s', ...): the %s is an untyped NULL; CAST it to a type.",
                                    MlEvaluateMetrics.NAME,
                                    task.sqlName(),
                                    i == 1 ? "label" : "prediction"));
                }
            }
            String problem =
                    task.argumentProblem(
                            types.get(1).getLogicalType(), types.get(2).getLogicalType());
            if (problem != null) {
                throw new ValidationException(
                        String.format("%s('%s', label, prediction): %s.",
                                MlEvaluateMetrics.NAME, task.sqlName(), problem));
            }
            return Optional.of(types);
        } catch (ValidationException e) {
            if (throwOnFailure) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /**
     * The planner asks again when it builds the aggregation, where an aggregate call no longer
     * knows its literals; the call was checked when the query was validated.
     */
    private static boolean literalsKnown(CallContext call) {
        try {
            call.isArgumentLiteral(0);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    static EvaluationTask task(CallContext call) {
        Optional<String> name =
                call.isArgumentLiteral(0) && !call.isArgumentNull(0)
                        ? call.getArgumentValue(0, String.class)
                        : Optional.empty();
        if (!name.isPresent()) {
            throw new ValidationException(
                    String.format(
                            "%s(task, label, prediction): the task must be a string literal, one"
                                    + " of %s.",
                            MlEvaluateMetrics.NAME, EvaluationTask.names()));
        }
        return EvaluationTask.of(name.get(), MlEvaluateMetrics.NAME);
    }

    @Override
    public List<Signature> getExpectedSignatures(FunctionDefinition definition) {
        return Collections.singletonList(
                Signature.of(
                        Signature.Argument.of("task", "STRING"),
                        Signature.Argument.of("label", "<ANY>"),
                        Signature.Argument.of("prediction", "<ANY>")));
    }
}
