package io.ssewatch.api;

/** Signals a resume cursor that the store could never have issued: malformed, or ahead. */
public class InvalidRevisionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidRevisionException(String message) {
        super(message);
    }
}
