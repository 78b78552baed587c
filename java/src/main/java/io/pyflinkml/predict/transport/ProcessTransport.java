package io.pyflinkml.predict.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One Python worker subprocess, spoken to with length-prefixed messages over its stdin and
 * stdout. The worker moves user output (print, C libraries) to stderr, which is logged here and
 * kept as a tail for error messages. The worker exits on stdin EOF and when its parent dies.
 */
public final class ProcessTransport implements PythonTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTransport.class);
    private static final int STDERR_TAIL_LINES = 40;
    private static final String[] SIGNALS = {
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"
    };

    private final String name;
    private final Process process;
    private final DataOutputStream toWorker;
    private final DataInputStream fromWorker;
    private final LinePump stderrPump;
    private volatile boolean closed;

    public ProcessTransport(String name, PythonLaunch launch) throws IOException {
        this.name = name;
        String pythonExecutable = launch.executable();
        ProcessBuilder builder =
                new ProcessBuilder(
                        pythonExecutable, "-u", "-m", "pyflink_ml_predict.runtime.worker");
        builder.environment().putAll(launch.environment());
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        if (launch.workingDirectory() != null) {
            // As for PyFlink's own workers: the extracted archives, by their relative names.
            builder.directory(new java.io.File(launch.workingDirectory()));
        }
        try {
            this.process = builder.start();
        } catch (IOException e) {
            throw new PythonWorkerException(
                    String.format(
                            "Cannot start the Python worker of %s with '%s' (set"
                                    + " 'python.executable' to a Python that has"
                                    + " pyflink-ml-predict installed): %s",
                            name, pythonExecutable, e.getMessage()),
                    e);
        }
        this.toWorker =
                new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        this.fromWorker =
                new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        this.stderrPump =
                new LinePump(
                        process.getErrorStream(),
                        LOG,
                        name,
                        STDERR_TAIL_LINES,
                        "python-worker-stderr " + name);
        LOG.info("Started Python worker (pid {}) for {}", process.pid(), name);
    }

    @Override
    public void send(byte[] request) throws IOException {
        try {
            toWorker.writeInt(request.length);
            toWorker.write(request);
            toWorker.flush();
        } catch (IOException e) {
            throw new PythonWorkerException(describeDeath(), e);
        }
    }

    @Override
    public byte[] receive() throws IOException {
        try {
            Spin.until(() -> fromWorker.available() > 0);
            int length = fromWorker.readInt();
            byte[] response = new byte[length];
            fromWorker.readFully(response);
            return response;
        } catch (IOException e) {
            throw new PythonWorkerException(describeDeath(), e);
        }
    }

    /** Why the worker stopped answering: exit code or signal, and what it last printed. */
    private String describeDeath() {
        String status;
        try {
            if (process.waitFor(3, TimeUnit.SECONDS)) {
                int code = process.exitValue();
                status =
                        code > 128 && code - 128 < SIGNALS.length
                                ? String.format(
                                        "was killed by signal %d (%s)",
                                        code - 128, SIGNALS[code - 128])
                                : "exited with code " + code;
            } else {
                status = "stopped answering (its pipe broke while it still runs)";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "could not be waited for";
        }
        try {
            stderrPump.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return String.format(
                "The Python worker (pid %d) of %s %s.%s",
                process.pid(), name, status, stderrTailText());
    }

    private String stderrTailText() {
        String tail = stderrPump.tail();
        return tail.isEmpty() ? "" : "\nLast lines the worker wrote to stderr:\n" + tail;
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    /** Closing stdin asks the worker to close the model and exit; it is killed if it lingers. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            toWorker.close();
        } catch (IOException e) {
            // Already gone.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                LOG.warn("Python worker of {} did not exit in 5 s; killing it", name);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            // Cancellation interrupts us: do not wait, but never leave the worker behind.
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.info("Python worker (pid {}) of {} stopped", process.pid(), name);
    }

    @Override
    public String toString() {
        return "ProcessTransport" + Arrays.asList(name, process.pid());
    }
}
