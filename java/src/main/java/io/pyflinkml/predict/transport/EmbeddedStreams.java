package io.pyflinkml.predict.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pemja.core.PythonInterpreter;

import java.io.FileInputStream;
import java.io.IOException;

/**
 * Gives embedded CPython standard streams whose output reaches Flink's log (see {@code
 * pyflink_ml_predict/runtime/embedded_streams.py}): Python makes a pipe of this process, and a
 * {@link LinePump} here logs its read end. Once per JVM: the first interpreter to ask claims the
 * pipe, the others find it claimed. That state is kept in Python, which all jobs of the JVM
 * share (each job's classloader has statics of its own). The pipe and the pump live until the
 * JVM exits, as the interpreter they serve does.
 */
final class EmbeddedStreams {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStreams.class);
    private static final String MODULE = "_pyflink_ml_predict_streams";

    private EmbeddedStreams() {}

    /** Call on the interpreter's own thread. A pipe Java cannot read leaves pemja's streams. */
    static void install(PythonInterpreter interpreter) {
        interpreter.exec("import pyflink_ml_predict.runtime.embedded_streams as " + MODULE);
        long fd = ((Number) interpreter.invokeMethod(MODULE, "claim_pipe")).longValue();
        if (fd < 0) {
            return; // another interpreter of this JVM installed them (or is doing so)
        }
        FileInputStream in;
        try {
            // A descriptor of our own on the pipe: Python then closes its read end.
            in = new FileInputStream("/dev/fd/" + fd);
        } catch (IOException e) {
            LOG.warn("Cannot read the embedded Python's output pipe; its print goes to the"
                    + " JVM's stdout and stderr", e);
            interpreter.invokeMethod(MODULE, "abandon");
            return;
        }
        new LinePump(in, LOG, "embedded python", 0, "embedded-python-output");
        interpreter.invokeMethod(MODULE, "install");
    }
}
