package io.ssewatch.fdb.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits values into chunks that fit FoundationDB's value limit, and joins them back.
 * Stateless and thread-safe.
 */
public final class Chunks {

    /** FoundationDB's maximum value size in bytes, and the size of every chunk but the last. */
    public static final int MAX_VALUE_BYTES = 100_000;

    private Chunks() {
    }

    /** Returns how many chunks a value of {@code length} bytes needs; at least 1. */
    public static int count(int length) {
        return Math.max(1, (length + MAX_VALUE_BYTES - 1) / MAX_VALUE_BYTES);
    }

    /** Splits a value into chunks of {@link #MAX_VALUE_BYTES}; an empty value is one chunk. */
    public static List<byte[]> split(byte[] value) {
        int count = count(value.length);
        List<byte[]> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * MAX_VALUE_BYTES;
            chunks.add(Arrays.copyOfRange(value, from,
                    Math.min(value.length, from + MAX_VALUE_BYTES)));
        }
        return chunks;
    }

    /** Joins chunks in order. */
    public static byte[] join(List<byte[]> chunks) {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
