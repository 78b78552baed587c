package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.TestModels;
import io.pyflinkml.predict.transport.PythonLaunch;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;

import java.io.File;
import java.net.URISyntaxException;
import java.util.Collections;

/**
 * Real Python workers for tests: this checkout's pyflink_ml_predict, run by the python that
 * java/run-tests.sh found (system property {@code pyflinkml.test.python}), serving the models in
 * java/src/test/resources/models/junit_models.py.
 */
public final class PythonWorkers {

    private PythonWorkers() {}

    /** A worker's launch: the test python, with this checkout first on its path. */
    public static PythonLaunch launch() {
        return new PythonLaunch(
                System.getProperty("pyflinkml.test.python", "python3"),
                Collections.singletonMap("PYTHONPATH", root().getAbsolutePath()),
                null,
                null);
    }

    /** The repository root (where pyflink_ml_predict/ is). */
    public static File root() {
        String root = System.getProperty("pyflinkml.test.root");
        if (root != null) {
            return new File(root);
        }
        for (File dir = new File("").getAbsoluteFile(); dir != null; dir = dir.getParentFile()) {
            if (new File(dir, "pyflink_ml_predict").isDirectory()) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "Set -Dpyflinkml.test.root to the repository (java/run-tests.sh does)");
    }

    /** The directory of the test models. */
    public static String modelDirectory() {
        try {
            return new File(PythonWorkers.class.getResource("/models/junit_models.py").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A model of junit_models.py run by a real worker ({@code Batches}: x INT to x, batch). */
    public static TestModels.Builder model(String className) {
        return TestModels.model("junit_models." + className)
                .directory(modelDirectory())
                .input("x INT")
                .output("x INT, batch INT")
                .launch(launch());
    }

    /** A function context outside a task, as in constant folding: no metrics, no job. */
    public static FunctionContext outsideTask() {
        return new FunctionContext(null);
    }

    public static RowData x(Integer value) {
        return GenericRowData.of(value);
    }
}
