package io.ssewatch.client;

import io.ssewatch.api.ChangeType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The client's copy of the watched resources, keyed by id, in the order the server listed
 * them, with resources created later appended.
 *
 * <p>Thread-safe: the delivery thread writes and any thread reads, under a read-write lock,
 * so every read returns the cache between two changes, never in the middle of one.
 */
final class ResourceCache<T> {

    /** One difference between the cache and a fresh snapshot. */
    record Change<T>(ChangeType type, CachedResource<T> previous, CachedResource<T> current) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private Map<String, CachedResource<T>> entries = new LinkedHashMap<>();
    private volatile boolean synced;

    /** Returns whether a snapshot was applied. */
    boolean isSynced() {
        return synced;
    }

    /** Returns an unmodifiable copy of the resources, keyed by id. */
    Map<String, T> copy() {
        lock.readLock().lock();
        try {
            Map<String, T> copy = new LinkedHashMap<>(entries.size() * 4 / 3 + 1);
            entries.forEach((id, resource) -> copy.put(id, resource.value()));
            return Collections.unmodifiableMap(copy);
        } finally {
            lock.readLock().unlock();
        }
    }

    Optional<T> get(String id) {
        lock.readLock().lock();
        try {
            CachedResource<T> resource = entries.get(id);
            return resource == null ? Optional.empty() : Optional.of(resource.value());
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return entries.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Stores a resource and returns the one it replaced, or {@code null}. */
    CachedResource<T> put(CachedResource<T> resource) {
        lock.writeLock().lock();
        try {
            return entries.put(resource.id(), resource);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes a resource and returns it, or {@code null} when the cache did not have it. */
    CachedResource<T> remove(String id) {
        lock.writeLock().lock();
        try {
            return entries.remove(id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes every resource and returns them in cache order. */
    List<CachedResource<T>> clear() {
        lock.writeLock().lock();
        try {
            List<CachedResource<T>> removed = new ArrayList<>(entries.values());
            entries = new LinkedHashMap<>();
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Replaces the contents with a snapshot, marks the cache synced and returns the
     * differences: first the deletions in old cache order, then the updates and creations in
     * snapshot order. A resource whose JSON tree is unchanged is no difference. When a
     * snapshot lists an id twice, the later entry wins.
     */
    List<Change<T>> replaceAll(List<CachedResource<T>> snapshot) {
        Map<String, CachedResource<T>> next = new LinkedHashMap<>(snapshot.size() * 4 / 3 + 1);
        for (CachedResource<T> resource : snapshot) {
            next.put(resource.id(), resource);
        }
        lock.writeLock().lock();
        try {
            List<Change<T>> changes = diff(entries, next);
            entries = next;
            synced = true;
            return changes;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static <T> List<Change<T>> diff(
            Map<String, CachedResource<T>> before, Map<String, CachedResource<T>> after) {
        List<Change<T>> changes = new ArrayList<>();
        for (CachedResource<T> old : before.values()) {
            if (!after.containsKey(old.id())) {
                changes.add(new Change<>(ChangeType.DELETED, old, null));
            }
        }
        for (CachedResource<T> current : after.values()) {
            CachedResource<T> old = before.get(current.id());
            if (old == null) {
                changes.add(new Change<>(ChangeType.CREATED, null, current));
            } else if (!old.tree().equals(current.tree())) {
                changes.add(new Change<>(ChangeType.UPDATED, old, current));
            }
        }
        return changes;
    }
}
