package io.ssewatch.examples;

/** The life-cycle states of a volume, in the order a volume passes through them. */
public enum VolumeStatus {
    IN_CREATION("in_creation"),
    ONLINE("online"),
    IN_DELETION("in_deletion");

    private final String wireName;

    VolumeStatus(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the value of the {@code status} field. */
    public String wireName() {
        return wireName;
    }
}
