package io.pyflinkml.predict;

import java.io.Serializable;

/**
 * The bridge between a model definition and the Python class that serves it (the FLIP's
 * interface): the class name and the JSON model configuration handed to its {@code
 * set_model_config}.
 */
public abstract class PythonPredictFunction implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Fully qualified name of a subclass of {@code pyflink_ml_predict.PredictFunction}. */
    public abstract String getPythonClass();

    /** The JSON model configuration: class, model directory, properties, schemas, runtime. */
    public abstract String getModelConfig();
}
