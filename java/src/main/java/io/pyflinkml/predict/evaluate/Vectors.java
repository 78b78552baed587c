package io.pyflinkml.predict.evaluate;

import java.lang.reflect.Array;

/** ARRAY values as Flink hands them to a function (boxed or primitive arrays) as doubles. */
final class Vectors {

    private Vectors() {}

    static double[] toDoubles(Object array, String task, String argument) {
        int length = Array.getLength(array);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            Object element = Array.get(array, i);
            if (element == null) {
                throw new IllegalArgumentException(
                        String.format(
                                "%s('%s'): the %s array has a NULL element at index %d; vectors"
                                        + " must be complete.",
                                MlEvaluateMetrics.NAME, task, argument, i + 1));
            }
            values[i] = ((Number) element).doubleValue();
        }
        return values;
    }
}
