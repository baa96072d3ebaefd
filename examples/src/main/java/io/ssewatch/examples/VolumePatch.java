package io.ssewatch.examples;

/**
 * The validated fields of a volume PATCH; {@code null} leaves a field unchanged.
 *
 * @param name the new name
 * @param size the new size in bytes, which must not be below the current one
 * @param maxRwIops the new limit of read and write operations per second, 0 for no limit
 */
public record VolumePatch(String name, Long size, Long maxRwIops) {
}
