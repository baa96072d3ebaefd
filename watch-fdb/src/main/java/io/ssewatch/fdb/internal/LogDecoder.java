package io.ssewatch.fdb.internal;

import com.apple.foundationdb.KeyValue;
import io.ssewatch.api.ChangeEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the key-values of a log range read into whole transactions of change events.
 *
 * <p>A range read with a row limit can stop inside a transaction or inside an entry's chunks.
 * When the read was cut off by its limit, the decoder drops the last transaction, because its
 * remaining rows may lie beyond the limit. The caller reads it again in its next read.
 * Stateless and thread-safe.
 */
public final class LogDecoder {

    private final KeyLayout keys;
    private final EventCodec codec;
    private final Revisions revisions;

    public LogDecoder(KeyLayout keys, EventCodec codec, Revisions revisions) {
        this.keys = keys;
        this.codec = codec;
        this.revisions = revisions;
    }

    /**
     * Decodes a log range read.
     *
     * @param rows the rows in key order
     * @param cutOff whether the read returned as many rows as its limit allowed, so that more
     *     rows may follow
     * @return the complete transactions, oldest first; when {@code cutOff} is set and the rows
     *     hold only part of one transaction, an empty list, and the caller must read with a
     *     higher limit
     */
    public List<List<ChangeEvent>> decode(String collection, List<KeyValue> rows, boolean cutOff) {
        List<List<ChangeEvent>> transactions = new ArrayList<>();
        List<ChangeEvent> current = new ArrayList<>();
        byte[] currentStamp = null;
        int i = 0;
        while (i < rows.size()) {
            int end = entryEnd(rows, i);
            if (cutOff && end == rows.size()) {
                // The entry's last chunks may lie beyond the limit; the whole transaction goes.
                return transactions;
            }
            ChangeEvent change = decodeEntry(collection, rows.subList(i, end));
            byte[] stamp = Revisions.commitStamp(Revisions.bytes(change.revision()));
            if (currentStamp != null && !Arrays.equals(stamp, currentStamp)) {
                transactions.add(List.copyOf(current));
                current.clear();
            }
            currentStamp = stamp;
            current.add(change);
            i = end;
        }
        if (!current.isEmpty() && !cutOff) {
            transactions.add(List.copyOf(current));
        }
        return transactions;
    }

    /** Returns the index after the last row of the entry that starts at {@code start}. */
    private int entryEnd(List<KeyValue> rows, int start) {
        byte[] revision = keys.decodeLogKey(rows.get(start).getKey()).revision();
        int end = start + 1;
        while (end < rows.size()
                && Arrays.equals(keys.decodeLogKey(rows.get(end).getKey()).revision(), revision)) {
            end++;
        }
        return end;
    }

    private ChangeEvent decodeEntry(String collection, List<KeyValue> chunks) {
        KeyLayout.LogKey first = keys.decodeLogKey(chunks.get(0).getKey());
        List<byte[]> values = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            int chunk = keys.decodeLogKey(chunks.get(i).getKey()).chunk();
            if (chunk != i) {
                throw new IllegalStateException("log entry " + revisions.of(first.revision())
                        + " of " + collection + " has chunk " + chunk + " at position " + i
                        + " (expected: chunks 0.." + (chunks.size() - 1) + " in order)");
            }
            values.add(chunks.get(i).getValue());
        }
        return codec.decodeChange(collection, revisions.of(first.revision()), Chunks.join(values));
    }
}
