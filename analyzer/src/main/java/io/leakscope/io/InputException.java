package io.leakscope.io;

/**
 * A problem with what the user gave us (a file, a PID, an option): reported as one line, exit code 2.
 * The message must name the file or PID and the reason; it is printed as is.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
