package io.ssewatch.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records every listener call on a queue, with the names of the threads that made them. */
class RecordingListener<T> implements WatchListener<T> {

    /** One listener call: the method name, a resource id and up to two values. */
    record Call(String method, String id, Object first, Object second) {
    }

    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    final Set<String> threadNames = ConcurrentHashMap.newKeySet();

    @Override
    public void onSnapshot(Map<String, T> resources) {
        record(new Call("snapshot", null, resources, null));
    }

    @Override
    public void onCreated(String id, T resource) {
        record(new Call("created", id, resource, null));
    }

    @Override
    public void onUpdated(String id, T previous, T current) {
        record(new Call("updated", id, previous, current));
    }

    @Override
    public void onDeleted(String id, T lastState) {
        record(new Call("deleted", id, lastState, null));
    }

    @Override
    public void onError(Exception error) {
        record(new Call("error", null, error, null));
    }

    @Override
    public void onStopped(WatchStoppedException reason) {
        record(new Call("stopped", null, reason, null));
    }

    private void record(Call call) {
        threadNames.add(Thread.currentThread().getName());
        calls.add(call);
    }

    /** Returns the next call, waiting up to 5 seconds for it. */
    Call next() throws InterruptedException {
        Call call = calls.poll(5, TimeUnit.SECONDS);
        assertThat(call).as("a listener call within 5 s").isNotNull();
        return call;
    }

    /** Returns the next call and checks its method. */
    Call next(String method) throws InterruptedException {
        Call call = next();
        assertThat(call.method()).as("listener method of %s", call).isEqualTo(method);
        return call;
    }

    /** Checks that no call arrives within {@code quiet}. */
    void assertNoCallWithin(Duration quiet) throws InterruptedException {
        Call call = calls.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(call).as("listener call that should not have happened").isNull();
    }
}
