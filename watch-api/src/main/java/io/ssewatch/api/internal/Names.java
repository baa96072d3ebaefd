package io.ssewatch.api.internal;

/** Validation of collection names and resource ids, shared by the stores. */
public final class Names {

    private Names() {
    }

    /** Throws when {@code value} is empty or contains a control character. */
    public static String check(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing (expected: a non-empty string)");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(what + ": \"" + value.replaceAll("\\p{Cntrl}", "?")
                        + "\" contains a control character at index " + i
                        + " (expected: printable characters only)");
            }
        }
        return value;
    }
}
