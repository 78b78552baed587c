package io.pyflinkml.predict.transport;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to start the model's Python: the interpreter, and what the job's Python dependencies
 * ({@code python.files}, {@code python.archives}, {@code python.requirements},
 * {@code python.pythonpath}) add to its environment.
 */
public final class PythonLaunch implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String executable;
    private final TreeMap<String, String> environment;
    private final String workingDirectory;
    private final String pythonHome;

    /**
     * @param environment variables set for a worker process (PYTHONPATH among them); the
     *     embedded interpreter takes its PYTHONPATH entries as paths
     * @param workingDirectory where a worker process runs (the extracted archives), or null
     * @param pythonHome the home of an interpreter shipped in an archive, for embedded CPython,
     *     or null
     */
    public PythonLaunch(
            String executable,
            Map<String, String> environment,
            String workingDirectory,
            String pythonHome) {
        this.executable = executable;
        this.environment = new TreeMap<>(environment);
        this.workingDirectory = workingDirectory;
        this.pythonHome = pythonHome;
    }

    /** The interpreter as configured, with nothing added. */
    public static PythonLaunch of(String executable) {
        return new PythonLaunch(executable, Collections.emptyMap(), null, null);
    }

    public String executable() {
        return executable;
    }

    public Map<String, String> environment() {
        return Collections.unmodifiableMap(environment);
    }

    public String workingDirectory() {
        return workingDirectory;
    }

    public String pythonHome() {
        return pythonHome;
    }

    @Override
    public String toString() {
        return String.format(
                "PythonLaunch{%s, PYTHONPATH=%s, cwd=%s}",
                executable, environment.get("PYTHONPATH"), workingDirectory);
    }
}
