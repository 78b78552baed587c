package io.pyflinkml.predict.transport;

import pemja.core.PythonInterpreter;
import pemja.core.PythonInterpreterConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * CPython embedded in the TaskManager through flink-python's pemja. Every Python call, from
 * interpreter creation to close, runs on one dedicated owner thread: libraries such as torch
 * hang when first touched from a Flink task thread. What Python prints is logged, as in process
 * mode ({@link EmbeddedStreams}).
 */
public final class EmbeddedTransport implements PythonTransport {

    private static final String MODULE = "_pyflink_ml_predict_embedded";

    private static final Map<String, String[]> PYTHON_PATHS = new HashMap<>();

    private final String name;
    private final String sessionId = UUID.randomUUID().toString();
    private final ExecutorService owner;
    private final Queue<Future<byte[]>> answers = new ConcurrentLinkedQueue<>();
    private PythonInterpreter interpreter; // touched only on the owner thread

    public EmbeddedTransport(String name, PythonLaunch launch) throws IOException {
        this.name = name;
        this.owner =
                Executors.newSingleThreadExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "python-owner " + name);
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            startInterpreter(launch);
        } catch (IOException | RuntimeException e) {
            owner.shutdownNow();
            throw e;
        }
    }

    private void startInterpreter(PythonLaunch launch) throws IOException {
        onOwner(
                () -> {
                    PythonInterpreterConfig.PythonInterpreterConfigBuilder config =
                            PythonInterpreterConfig.newBuilder()
                                    .setPythonExec(launch.executable())
                                    .addPythonPaths(pythonPath(launch))
                                    .setExcType(PythonInterpreterConfig.ExecType.MULTI_THREAD);
                    if (launch.pythonHome() != null) {
                        config.setPythonHome(launch.pythonHome());
                    }
                    interpreter = new PythonInterpreter(config.build());
                    interpreter.exec(
                            "import pyflink_ml_predict.runtime.embedded as " + MODULE);
                    EmbeddedStreams.install(interpreter);
                    return null;
                });
    }

    /**
     * The executable's own sys.path (a virtualenv's site-packages among it, and the PYTHONPATH
     * of the job's dependencies): embedded CPython starts from the base installation and would
     * see neither.
     */
    private static synchronized String[] pythonPath(PythonLaunch launch) throws IOException {
        String pythonExecutable = launch.executable();
        String key = pythonExecutable + "\n" + launch.environment();
        String[] cached = PYTHON_PATHS.get(key);
        if (cached != null) {
            return cached;
        }
        ProcessBuilder probe =
                new ProcessBuilder(
                                pythonExecutable,
                                "-c",
                                "import sys; print('\\n'.join(p for p in sys.path if p))")
                        .redirectErrorStream(true);
        probe.environment().putAll(launch.environment());
        Process process = probe.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (process.waitFor() != 0) {
                throw new IOException(
                        "Cannot read sys.path of python executable '"
                                + pythonExecutable + "': " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while starting " + pythonExecutable, e);
        }
        String[] paths = output.trim().split("\n");
        PYTHON_PATHS.put(key, paths);
        return paths;
    }

    /** Queues the call on the owner thread, which answers requests in the order they came. */
    @Override
    public void send(byte[] request) throws IOException {
        try {
            answers.add(
                    owner.submit(
                            () ->
                                    (byte[])
                                            interpreter.invokeMethod(
                                                    MODULE, "handle", sessionId, request)));
        } catch (RejectedExecutionException e) {
            throw new PythonWorkerException("Embedded Python of " + name + " is closed", e);
        }
    }

    @Override
    public byte[] receive() throws IOException {
        Future<byte[]> answer = answers.poll();
        if (answer == null) {
            throw new IllegalStateException("receive() without a request under way for " + name);
        }
        Spin.until(answer::isDone);
        return await(answer);
    }

    private <T> T onOwner(Callable<T> task) throws IOException {
        return await(owner.submit(task));
    }

    private <T> T await(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new PythonWorkerException("Interrupted while calling Python for " + name, e);
        } catch (ExecutionException e) {
            throw new PythonWorkerException(
                    "Embedded Python failed for " + name + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void kill() {
        // CPython in this JVM cannot be stopped from outside: a hung call runs on (a reason to
        // prefer execution-mode 'process' for models that may hang).
    }

    @Override
    public void close() {
        if (owner.isShutdown()) {
            return;
        }
        try {
            onOwner(
                    () -> {
                        if (interpreter != null) {
                            interpreter.invokeMethod(MODULE, "discard", sessionId);
                            interpreter.close();
                        }
                        return null;
                    });
        } catch (IOException e) {
            // Closing anyway.
        } finally {
            owner.shutdownNow();
        }
    }
}
