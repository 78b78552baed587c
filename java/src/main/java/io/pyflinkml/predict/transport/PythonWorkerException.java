package io.pyflinkml.predict.transport;

import java.io.IOException;

/** The Python side is gone (exit, signal, broken pipe): the job should fail over. */
public class PythonWorkerException extends IOException {

    private static final long serialVersionUID = 1L;

    public PythonWorkerException(String message, Throwable cause) {
        super(message, cause);
    }
}
