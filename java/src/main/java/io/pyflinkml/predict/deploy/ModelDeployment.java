package io.pyflinkml.predict.deploy;

import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;
import io.pyflinkml.predict.transport.PythonLaunch;

import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;
import org.apache.flink.table.functions.FunctionContext;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a TaskManager must put in place before a model's Python starts, fixed at plan time: the
 * model directory (used in place, or fetched into the {@link ModelCache}) and the job's Python
 * dependencies ({@link PythonDependencies}).
 */
public final class ModelDeployment implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String DEFAULT_CACHE = "pyflink-ml-predict-models";

    private final ModelLocation location;
    private final TreeMap<String, String> pythonDependencies;
    private final String cacheDirectory;
    private final Duration cacheRetention;
    private final String modelVersion;
    private final Duration updateInterval;

    /**
     * @param cacheDirectory the model cache on each TaskManager; null for a directory of that
     *     name in the TaskManager's temporary directory
     * @param modelVersion the model-version option, or null for an unversioned model
     */
    public ModelDeployment(
            ModelLocation location,
            Map<String, String> pythonDependencies,
            String cacheDirectory,
            Duration cacheRetention,
            String modelVersion,
            Duration updateInterval) {
        this.location = location;
        this.pythonDependencies = new TreeMap<>(pythonDependencies);
        this.cacheDirectory = cacheDirectory;
        this.cacheRetention = cacheRetention;
        this.modelVersion = modelVersion;
        this.updateInterval = updateInterval;
    }

    public ModelLocation location() {
        return location;
    }

    /** What tells two deployments apart, for subtasks that share workers. */
    public String describe() {
        return location + "\n" + pythonDependencies + "\n" + cacheDirectory;
    }

    /** The local model directory and the Python launch of one user (a subtask or a worker pool). */
    public Opened open(
            FunctionContext context,
            String modelName,
            String pythonClass,
            String pythonExecutable,
            ExecutionMode mode,
            String jobId)
            throws Exception {
        AutoCloseable lease = null;
        String directory = location.inPlace() ? location.localDirectory() : null;
        if (directory == null) {
            File shipped = shippedCopy(context, modelName);
            if (shipped != null && shipped.isDirectory()) {
                // Flink's distributed cache unpacked a shipped directory for this job already.
                directory = shipped.getAbsolutePath();
            } else if (shipped == null
                    && modelVersion != null
                    && location.kind() == ModelLocation.Kind.REMOTE_DIRECTORY) {
                VersionMirror.Handle mirror = fetchVersions(modelName);
                lease = mirror;
                directory = mirror.directory().getAbsolutePath();
            } else {
                ModelCache.Lease fetched =
                        fetch(modelName, shipped, new ArchiveLayout.Model(pythonClass, modelVersion != null));
                lease = fetched;
                directory = fetched.directory().getAbsolutePath();
            }
        }
        try {
            PythonDependencies.Environment environment =
                    PythonDependencies.open(
                            context, modelName, pythonDependencies, pythonExecutable, mode, jobId);
            return new Opened(directory, environment, lease);
        } catch (Exception e) {
            if (lease != null) {
                lease.close();
            }
            throw e;
        }
    }

    private File cacheRoot() {
        return cacheDirectory != null
                ? new File(cacheDirectory)
                : new File(System.getProperty("java.io.tmpdir"), DEFAULT_CACHE);
    }

    private VersionMirror.Handle fetchVersions(String modelName) throws IOException {
        try {
            return VersionMirror.acquire(
                    location, modelVersion, updateInterval, cacheRoot(), cacheRetention);
        } catch (IOException | RuntimeException e) {
            throw fetchFailed(modelName, e);
        }
    }

    /** The distributed cache's copy of a shipped model, or null when it is not shipped. */
    private File shippedCopy(FunctionContext context, String modelName) throws IOException {
        if (location.shipName() == null) {
            return null;
        }
        try {
            return CachedFiles.get(context, location.shipName());
        } catch (RuntimeException e) {
            throw new IOException(
                    String.format(
                            "The shipped model directory '%s' of model '%s' is not in the job's"
                                    + " distributed cache: %s",
                            location.path(), modelName, e.getMessage()),
                    e);
        }
    }

    private ModelCache.Lease fetch(String modelName, File shipped, ArchiveLayout.Model layout)
            throws IOException {
        try {
            return ModelCache.acquire(location, shipped, layout, cacheRoot(), cacheRetention);
        } catch (IOException | RuntimeException e) {
            throw fetchFailed(modelName, e);
        }
    }

    /** A failed fetch, said with the model, the path and the cause. */
    private IOException fetchFailed(String modelName, Exception failure) {
        String message;
        if (failure instanceof UnsupportedFileSystemSchemeException) {
            message = ModelLocations.noFileSystem(modelName, location.path(), failure).getMessage();
        } else if (failure instanceof FileNotFoundException) {
            message =
                    String.format(
                            "The model directory '%s' of model '%s' does not exist: %s",
                            location.path(), modelName, failure.getMessage());
        } else {
            message =
                    String.format(
                            "Cannot fetch the model directory '%s' of model '%s' into the model"
                                    + " cache '%s': %s",
                            location.path(), modelName, cacheRoot(), failure.getMessage());
        }
        return new IOException(message, failure);
    }

    /** A model in place and its Python environment, held until closed. */
    public static final class Opened implements AutoCloseable {
        private final String directory;
        private final PythonDependencies.Environment environment;
        private final AutoCloseable lease; // the model cache's hold on the model, or null

        private Opened(
                String directory, PythonDependencies.Environment environment, AutoCloseable lease) {
            this.directory = directory;
            this.environment = environment;
            this.lease = lease;
        }

        public String directory() {
            return directory;
        }

        public PythonLaunch launch() {
            return environment.launch();
        }

        /** Releases in the reverse order of opening: the environment, then the model. */
        @Override
        public void close() throws Exception {
            try {
                environment.close();
            } finally {
                if (lease != null) {
                    lease.close();
                }
            }
        }
    }
}
