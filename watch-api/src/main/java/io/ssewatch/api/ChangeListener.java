package io.ssewatch.api;

import java.util.List;

/**
 * Receives a collection's changes from {@link Store#follow}. Calls for one feed never overlap
 * and arrive in revision order.
 */
public interface ChangeListener {

    /**
     * Receives the changes of one transaction to the followed collection, in revision order.
     * The list is never empty.
     */
    void onTransaction(List<ChangeEvent> changes);

    /**
     * Reports that the feed has ended and will deliver nothing more: the history after the
     * requested revision is gone ({@link HistoryExpiredException}), the store became
     * unavailable, or the store was closed.
     */
    void onFailure(Throwable error);
}
