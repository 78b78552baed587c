package io.pyflinkml.predict.transport;

import java.io.IOException;

/**
 * Carries one request message to the Python runtime and brings its response back. Both
 * transports carry the same bytes (see {@code pyflink_ml_predict/runtime/protocol.py}).
 */
public interface PythonTransport extends AutoCloseable {

    /** Sends one request and blocks for its response. Called from one thread at a time. */
    byte[] call(byte[] request) throws IOException;

    /**
     * Stops the Python side at once, from any thread; a call under way then fails. Only a
     * worker process can be stopped this way: embedded CPython runs on until the call returns.
     */
    void kill();

    /** Stops the Python side; never throws, never leaves a process behind. */
    @Override
    void close();
}
