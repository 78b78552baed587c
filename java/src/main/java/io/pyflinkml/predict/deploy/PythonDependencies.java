package io.pyflinkml.predict.deploy;

import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;
import io.pyflinkml.predict.transport.PythonLaunch;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.cache.DistributedCache;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.WritableConfig;
import org.apache.flink.core.fs.Path;
import org.apache.flink.python.PythonOptions;
import org.apache.flink.python.env.AbstractPythonEnvironmentManager;
import org.apache.flink.python.env.PythonDependencyInfo;
import org.apache.flink.python.env.embedded.EmbeddedPythonEnvironment;
import org.apache.flink.python.env.embedded.EmbeddedPythonEnvironmentManager;
import org.apache.flink.python.env.process.ProcessPythonEnvironmentManager;
import org.apache.flink.python.util.PythonDependencyUtils;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.functions.FunctionContext;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * PyFlink's Python dependency options ({@code python.files}, {@code python.archives},
 * {@code python.requirements}, {@code python.pythonpath}) for the model's worker, set up by
 * flink-python's own code. Flink registers these files with a job only when its plan has Python
 * nodes, which an ML_PREDICT plan has not, so the provider registers them itself when the query
 * is planned; on the TaskManager flink-python's environment manager extracts archives, links
 * files and installs requirements, once per job, as for PyFlink's own Python functions.
 */
public final class PythonDependencies {

    private static final String PYTHONPATH = "PYTHONPATH";
    private static final String WORKING_DIRECTORY = "_PYTHON_WORKING_DIR";

    private PythonDependencies() {}

    /**
     * Registers the session's Python dependencies with the job being planned and returns what
     * the TaskManager needs to find them (flink-python's own keys); empty when there are none.
     */
    public static Map<String, String> register(
            String modelName, ReadableConfig session, String shipName, String shipPath) {
        boolean dependencies =
                session.getOptional(PythonOptions.PYTHON_FILES).isPresent()
                        || session.getOptional(PythonOptions.PYTHON_ARCHIVES).isPresent()
                        || session.getOptional(PythonOptions.PYTHON_REQUIREMENTS).isPresent()
                        || session.getOptional(PythonOptions.PYTHON_PATH).isPresent();
        if (!dependencies && shipName == null) {
            return Collections.emptyMap();
        }
        if (!(session instanceof WritableConfig)) {
            throw new ValidationException(
                    String.format(
                            "Model '%s' needs files shipped with the job (python.files,"
                                    + " python.archives, python.requirements or"
                                    + " model-directory-ship), but this planner's configuration"
                                    + " cannot register them.",
                            modelName));
        }
        Map<String, String> runtime = new TreeMap<>();
        if (dependencies) {
            // Registers the files in the session's pipeline.cached-files, as for PyFlink's own
            // Python functions; what it returns tells a TaskManager where they are.
            Configuration resolved = PythonDependencyUtils.configurePythonDependencies(session);
            resolved.toMap()
                    .forEach(
                            (key, value) -> {
                                if (key.startsWith("python.")) {
                                    runtime.put(key, value);
                                }
                            });
        }
        if (shipName != null) {
            List<Tuple2<String, DistributedCache.DistributedCacheEntry>> cached =
                    new ArrayList<>(
                            DistributedCache.parseCachedFilesFromString(
                                    session.getOptional(PipelineOptions.CACHED_FILES)
                                            .orElse(List.of())));
            if (cached.stream().noneMatch(entry -> entry.f0.equals(shipName))) {
                cached.add(
                        Tuple2.of(
                                shipName,
                                new DistributedCache.DistributedCacheEntry(shipPath, false)));
                ((WritableConfig) session)
                        .set(
                                PipelineOptions.CACHED_FILES,
                                DistributedCache.parseStringFromCachedFiles(cached));
            }
        }
        return runtime;
    }

    /** The job's Python environment on this TaskManager, or the plain interpreter. */
    public static Environment open(
            FunctionContext context,
            String modelName,
            Map<String, String> dependencies,
            String pythonExecutable,
            ExecutionMode mode,
            String jobId)
            throws Exception {
        if (dependencies.isEmpty()) {
            return new Environment(PythonLaunch.of(pythonExecutable), null);
        }
        Configuration config = Configuration.fromMap(dependencies);
        config.set(PythonOptions.PYTHON_EXECUTABLE, pythonExecutable);
        config.set(PythonOptions.PYTHON_EXECUTION_MODE, mode.name().toLowerCase());
        PythonDependencyInfo info;
        try {
            info = PythonDependencyInfo.create(config, new DistributedCache(cachedFiles(context, config)));
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    String.format(
                            "The Python dependencies of model '%s' (python.files, python.archives,"
                                    + " python.requirements) are not in the job's distributed"
                                    + " cache: %s",
                            modelName, e.getMessage()),
                    e);
        }
        String[] tmpDirectories = {System.getProperty("java.io.tmpdir")};
        JobID job = jobId == null ? new JobID() : JobID.fromHexString(jobId);
        AbstractPythonEnvironmentManager manager =
                mode == ExecutionMode.THREAD
                        ? new EmbeddedPythonEnvironmentManager(info, tmpDirectories, System.getenv(), job)
                        : new ProcessPythonEnvironmentManager(info, tmpDirectories, System.getenv(), job);
        manager.open();
        try {
            Map<String, String> env = manager.getPythonEnv();
            String workingDirectory = env.get(WORKING_DIRECTORY);
            String executable = info.getPythonExec();
            String pythonHome = null;
            if (mode == ExecutionMode.THREAD) {
                EmbeddedPythonEnvironment embedded =
                        (EmbeddedPythonEnvironment) manager.createEnvironment();
                executable = embedded.getConfig().getPythonExec();
                pythonHome = embedded.getConfig().getPythonHome();
            } else if (info.isPythonExecFromArchives()) {
                executable = workingDirectory + File.separator + executable;
            }
            Map<String, String> added = added(env);
            if (mode == ExecutionMode.THREAD && workingDirectory != null && added.containsKey(PYTHONPATH)) {
                // A worker process resolves relative entries in its working directory; the
                // embedded interpreter cannot change the TaskManager's, so they are resolved here.
                added.put(PYTHONPATH, resolved(added.get(PYTHONPATH), workingDirectory));
            }
            return new Environment(
                    new PythonLaunch(executable, added, workingDirectory, pythonHome), manager);
        } catch (Exception e) {
            manager.close();
            throw e;
        }
    }

    private static String resolved(String pythonPath, String workingDirectory) {
        List<String> entries = new ArrayList<>();
        for (String entry : pythonPath.split(File.pathSeparator)) {
            entries.add(new File(entry).isAbsolute() || entry.isEmpty()
                    ? entry : new File(workingDirectory, entry).getPath());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The variables the manager set or changed; the worker inherits the rest. */
    private static Map<String, String> added(Map<String, String> env) {
        Map<String, String> system = System.getenv();
        Map<String, String> added = new HashMap<>();
        env.forEach(
                (key, value) -> {
                    if (!value.equals(system.get(key))) {
                        added.put(key, value);
                    }
                });
        return added;
    }

    /** The job's cached files that the dependency keys name, as the distributed cache has them. */
    private static Map<String, Future<Path>> cachedFiles(
            FunctionContext context, Configuration config) {
        List<String> names = new ArrayList<>();
        config.getOptional(PythonOptions.PYTHON_FILES_DISTRIBUTED_CACHE_INFO)
                .ifPresent(files -> names.addAll(files.keySet()));
        config.getOptional(PythonOptions.PYTHON_ARCHIVES_DISTRIBUTED_CACHE_INFO)
                .ifPresent(archives -> names.addAll(archives.keySet()));
        config.getOptional(PythonOptions.PYTHON_REQUIREMENTS_FILE_DISTRIBUTED_CACHE_INFO)
                .ifPresent(requirements -> names.addAll(requirements.values()));
        Map<String, Future<Path>> files = new HashMap<>();
        for (String name : names) {
            files.put(
                    name,
                    CompletableFuture.completedFuture(
                            new Path(CachedFiles.get(context, name).toURI())));
        }
        return files;
    }

    /** A worker's environment; closing it lets the job's shared set-up go when unused. */
    public static final class Environment implements AutoCloseable {
        private final PythonLaunch launch;
        private final AbstractPythonEnvironmentManager manager;

        private Environment(PythonLaunch launch, AbstractPythonEnvironmentManager manager) {
            this.launch = launch;
            this.manager = manager;
        }

        public PythonLaunch launch() {
            return launch;
        }

        @Override
        public void close() throws Exception {
            if (manager != null) {
                manager.close();
            }
        }
    }
}
