package io.ssewatch.fdb.internal;

import com.apple.foundationdb.tuple.ByteArrayUtil;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an exact snapshot from pages read at different read versions.
 *
 * <p>Each page covers a key range of the collection's resources and is exact at its own read
 * version. The log is then replayed from the first page's read version up to the final
 * revision. Each change goes only to the page that covers its resource, and only when it is
 * newer than that page, so every page reaches the final revision. Pages must be added in key
 * order and cover the collection without gaps. Not thread-safe.
 */
public final class SnapshotAssembler {

    private final KeyLayout keys;
    private final String collection;
    private final List<Page> pages = new ArrayList<>();

    public SnapshotAssembler(KeyLayout keys, String collection) {
        this.keys = keys;
        this.collection = collection;
    }

    /**
     * Adds the next page.
     *
     * @param revision the snapshot revision of the page's read version
     * @param begin the first resource key the page covers
     * @param resources the page's resources by id, in key order
     */
    public void addPage(Revision revision, byte[] begin, Map<String, JsonNode> resources) {
        if (!pages.isEmpty()
                && ByteArrayUtil.compareUnsigned(begin, pages.get(pages.size() - 1).begin) <= 0) {
            throw new IllegalArgumentException("page at " + ByteArrayUtil.printable(begin)
                    + " added out of key order");
        }
        pages.add(new Page(revision, begin, new LinkedHashMap<>(resources)));
    }

    /** Returns the revision of the first page: the log must be replayed from there. */
    public Revision firstRevision() {
        return pages.get(0).revision;
    }

    /** Applies one change of the collection; changes must arrive in revision order. */
    public void apply(ChangeEvent change) {
        Page page = pageOf(keys.resourceRange(collection, change.id()).begin);
        if (!change.revision().isAfter(page.revision)) {
            return;
        }
        if (change.after() == null) {
            page.resources.remove(change.id());
        } else {
            page.resources.put(change.id(), change.after());
        }
    }

    /** Returns the snapshot at {@code revision}, which must be at or after every page's. */
    public Snapshot build(Revision revision) {
        List<Resource> resources = new ArrayList<>();
        for (Page page : pages) {
            if (page.revision.isAfter(revision)) {
                throw new IllegalArgumentException("page at " + page.revision
                        + " is newer than the snapshot revision " + revision);
            }
            page.resources.forEach((id, body) -> resources.add(new Resource(id, body)));
        }
        return new Snapshot(collection, revision, resources);
    }

    private Page pageOf(byte[] key) {
        int low = 0;
        int high = pages.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (ByteArrayUtil.compareUnsigned(pages.get(mid).begin, key) <= 0) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return pages.get(low);
    }

    private record Page(Revision revision, byte[] begin, Map<String, JsonNode> resources) {
    }
}
