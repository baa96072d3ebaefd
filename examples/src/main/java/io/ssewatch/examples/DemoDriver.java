package io.ssewatch.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives volumes of one storage pool through their life cycle, so that a new watch sees
 * events within seconds.
 *
 * <p>Every {@link #step()} advances each demo volume by one stage: {@code in_creation}, then
 * {@code online}, then three steps in which a quarter of its size fills with data each, then
 * {@code in_deletion}, then deleted. The first step and every
 * {@value #STEPS_BETWEEN_VOLUMES} steps after it create a new volume named {@code demo-N}, so
 * two demo volumes overlap. The driver touches only the volumes it created, and forgets a
 * volume that someone else deleted.
 *
 * <p>{@link #start()} runs {@code step()} on one daemon thread at a fixed interval. Thread-safe:
 * {@code step()} and {@code close()} may be called from any thread.
 */
public final class DemoDriver implements AutoCloseable {

    /** The time between two steps when none is given. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    static final int STEPS_BETWEEN_VOLUMES = 3;
    static final long VOLUME_SIZE = 4 * SeedData.GIB;

    private static final Logger LOG = LoggerFactory.getLogger(DemoDriver.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Volumes volumes;
    private final String clusterId;
    private final String poolId;
    private final Duration interval;
    private final List<DemoVolume> live = new ArrayList<>();
    private ScheduledExecutorService executor;
    private long steps;
    private int volumesCreated;
    /** Set when a volume create was rejected, for example because the pool was deleted. */
    private boolean creationRejected;

    public DemoDriver(Volumes volumes, String clusterId, String poolId, Duration interval) {
        this.volumes = Objects.requireNonNull(volumes, "volumes");
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.poolId = Objects.requireNonNull(poolId, "poolId");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        this.interval = interval;
    }

    /** Starts stepping at the fixed interval, the first step at once. */
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("the demo driver has already been started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "demo-driver");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::stepAndLog, 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("Demo driver started: volumes of storage pool {} change every {} ms", poolId,
                interval.toMillis());
    }

    /**
     * Advances every demo volume by one stage and starts a new one when it is time. Does
     * nothing once a create has been rejected. Throws what the store throws.
     */
    public synchronized void step() {
        if (creationRejected) {
            return;
        }
        advanceLiveVolumes();
        if (steps % STEPS_BETWEEN_VOLUMES == 0) {
            createVolume();
        }
        steps++;
    }

    /** Returns the ids of the demo volumes that still exist, oldest first. */
    public synchronized List<String> liveVolumeIds() {
        List<String> ids = new ArrayList<>();
        live.forEach(volume -> ids.add(volume.id));
        return ids;
    }

    /** Stops stepping and waits for a running step to finish. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = executor;
            executor = null;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            if (!running.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Demo driver step still running after {} ms; stopped waiting",
                        STOP_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Demo driver stopped after {} steps", stepCount());
    }

    private synchronized long stepCount() {
        return steps;
    }

    /** Runs one step on the driver thread, where an exception would cancel all later steps. */
    private void stepAndLog() {
        try {
            step();
        } catch (RuntimeException e) {
            LOG.warn("Demo driver step failed for storage pool {}; the next step retries", poolId,
                    e);
        }
    }

    private void advanceLiveVolumes() {
        Iterator<DemoVolume> it = live.iterator();
        while (it.hasNext()) {
            DemoVolume volume = it.next();
            volume.age++;
            try {
                if (advance(volume)) {
                    it.remove();
                }
            } catch (ApiException e) {
                // Someone deleted the volume or its pool through the API; stop tracking it.
                LOG.debug("Demo volume {} is gone: {}", volume.id, e.getMessage());
                it.remove();
            }
        }
    }

    /** Moves a volume to the stage of its age; returns whether it has been deleted. */
    private boolean advance(DemoVolume volume) {
        if (volume.age == 1) {
            volumes.setStatus(clusterId, poolId, volume.id, VolumeStatus.ONLINE);
        } else if (volume.age <= 4) {
            long used = VOLUME_SIZE / 4 * (volume.age - 1);
            volumes.setUsedBytes(clusterId, poolId, volume.id, used);
        } else if (volume.age == 5) {
            volumes.setStatus(clusterId, poolId, volume.id, VolumeStatus.IN_DELETION);
        } else {
            volumes.delete(clusterId, poolId, volume.id);
            return true;
        }
        return false;
    }

    private void createVolume() {
        volumesCreated++;
        VolumeSpec spec = new VolumeSpec("demo-" + volumesCreated, VOLUME_SIZE, null, false, 0);
        try {
            String id = volumes.create(clusterId, poolId, spec, VolumeStatus.IN_CREATION).id();
            live.add(new DemoVolume(id));
        } catch (ApiException e) {
            creationRejected = true;
            LOG.warn("Demo driver stops, because creating a volume failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized String toString() {
        return "DemoDriver{pool=" + poolId + ", steps=" + steps + ", live=" + live.size()
                + (creationRejected ? ", stopped" : "") + "}";
    }

    /** A volume the driver created, and how many steps ago. */
    private static final class DemoVolume {
        final String id;
        int age;

        DemoVolume(String id) {
            this.id = id;
        }
    }
}
