package io.pyflinkml.predict.evaluate;

/**
 * The accumulator Flink keeps for one group or window: the task's own accumulator, made on the
 * first row (the task is the call's literal first argument, known only at {@code accumulate}).
 */
public class MetricsAccumulator {

    /** Null until the first row with both a label and a prediction. */
    public EvaluationTask task;

    /** Null until the first row with both a label and a prediction. */
    public TaskAccumulator state;

    public MetricsAccumulator() {}
}
