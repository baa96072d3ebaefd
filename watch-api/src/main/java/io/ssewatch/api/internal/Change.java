package io.ssewatch.api.internal;

import io.ssewatch.api.Revision;

/**
 * One applied change as a hub keeps it: the states before and after, so that each watch can
 * decide whether the resource entered, stayed in or left its scope.
 *
 * @param id the resource id
 * @param before the state before, or {@code null} when the resource was created
 * @param after the state after, or {@code null} when the resource was deleted
 * @param revision the revision of the change
 * @param appliedNanos {@link System#nanoTime()} when the hub applied it, for history age
 */
record Change(String id, Entry before, Entry after, Revision revision, long appliedNanos) {
}
