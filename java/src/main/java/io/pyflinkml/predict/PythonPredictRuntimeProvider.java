package io.pyflinkml.predict;

import org.apache.flink.table.ml.ModelProvider;

/** A model provider whose prediction logic is a Python class (the FLIP's interface). */
public interface PythonPredictRuntimeProvider extends ModelProvider {

    PythonPredictFunction getPythonPredictFunction();
}
