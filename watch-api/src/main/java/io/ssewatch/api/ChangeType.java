package io.ssewatch.api;

/** The kind of a change, and the SSE event name it is sent under. */
public enum ChangeType {
    CREATED("created"),
    UPDATED("updated"),
    DELETED("deleted");

    private final String eventName;

    ChangeType(String eventName) {
        this.eventName = eventName;
    }

    /** Returns the SSE event name: {@code created}, {@code updated} or {@code deleted}. */
    public String eventName() {
        return eventName;
    }
}
