package io.pyflinkml.predict;

/** The configuration bridge to the user's Python class, as the FLIP describes it. */
public class GenericPythonPredictFunction extends PythonPredictFunction {

    private static final long serialVersionUID = 1L;

    private final ModelConfig config;

    public GenericPythonPredictFunction(ModelConfig config) {
        this.config = config;
    }

    @Override
    public String getPythonClass() {
        return config.pythonClass();
    }

    @Override
    public String getModelConfig() {
        return config.toJson();
    }
}
