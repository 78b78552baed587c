package io.pyflinkml.predict.runtime;

/** The user's Python code failed; the message carries the model, row and Python traceback. */
public class PythonModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PythonModelException(String message) {
        super(message);
    }

    public PythonModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
