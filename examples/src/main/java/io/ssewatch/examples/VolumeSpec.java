package io.ssewatch.examples;

import java.util.Objects;

/**
 * The validated fields of a new volume.
 *
 * @param name the volume name
 * @param size the size in bytes, above 0
 * @param storageNodeId the primary storage node, or {@code null} to let the control plane
 *     pick one
 * @param highAvailability whether the volume also gets a secondary storage node
 * @param maxRwIops the limit of read and write operations per second, 0 for no limit
 */
public record VolumeSpec(String name, long size, String storageNodeId, boolean highAvailability,
        long maxRwIops) {

    public VolumeSpec {
        Objects.requireNonNull(name, "name");
    }
}
