package io.pyflinkml.predict.transport;

import java.io.IOException;

/**
 * Carries request messages to the Python runtime and brings its responses back, in the order the
 * requests were sent. Several requests may be under way at once, so the JVM can prepare the next
 * batch while Python predicts one. Both transports carry the same bytes (see {@code
 * pyflink_ml_predict/runtime/protocol.py}).
 */
public interface PythonTransport extends AutoCloseable {

    /** Sends one request without waiting for its answer. Callers serialize their sends. */
    void send(byte[] request) throws IOException;

    /**
     * Blocks for the response to the oldest request not yet answered. Callers serialize their
     * receives.
     */
    byte[] receive() throws IOException;

    /** One request and its response. */
    default byte[] call(byte[] request) throws IOException {
        send(request);
        return receive();
    }

    /**
     * Stops the Python side at once, from any thread; a call under way then fails. Only a
     * worker process can be stopped this way: embedded CPython runs on until the call returns.
     */
    void kill();

    /** Stops the Python side; never throws, never leaves a process behind. */
    @Override
    void close();
}
