package io.pyflinkml.predict.evaluate;

import java.util.Map;

/**
 * One task's sufficient statistics: rows are added one at a time, partial results (of other
 * slices, windows or parallel instances) are merged in, and the metrics come out at the end.
 * Implementations are plain objects with a no-argument constructor, so Flink's generic
 * serializer can keep them in state.
 */
interface TaskAccumulator {

    /** Adds one row; label and prediction are non-null, of the types the task accepted. */
    void add(Object label, Object prediction);

    /** Adds another accumulator of the same task. */
    void merge(TaskAccumulator other);

    /** Rows added. */
    long count();

    /**
     * The metrics by name, in the documented order; a metric that is undefined for these rows
     * (the README says when) is left out rather than given as NaN.
     */
    Map<String, Double> metrics();
}
