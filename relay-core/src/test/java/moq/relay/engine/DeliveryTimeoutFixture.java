package moq.relay.engine;

import java.util.List;

import moq.relay.wire.KeyValuePair;

/**
 * What the delivery-timeout tests of the engine share ({@link ObjectDeliveryTimeoutTest},
 * {@link SubgroupDeliveryTimeoutTest}): a small relay with a publisher of {@link #TRACK}, subscribers whose writers
 * report a draft-20 session's timeouts, and a stall of the subscribers past {@link #TIMEOUT_NANOS}.
 */
final class DeliveryTimeoutFixture implements AutoCloseable
{
    static final FullTrackName TRACK = FullTrackName.of("v", "live");
    static final long TIMEOUT_NANOS = 40_000_000L;
    static final long TIMEOUT_MILLIS = TIMEOUT_NANOS / 1_000_000;

    final Harness h = Harness.small();

    /** The publisher of {@link #TRACK}, with these track properties. */
    UpstreamSubscription publish(final List<KeyValuePair> properties)
    {
        return h.session("pub").publish(1, TRACK, properties, null, new UpstreamFetchTest.FetchingPublisher(),
            new Callbacks.Req());
    }

    /**
     * A subscriber from the next object on whose writer reports these OBJECT_DELIVERY_TIMEOUT and
     * SUBGROUP_DELIVERY_TIMEOUT (0: draft 20 without its own; -1: a draft the relay gives none, 14 or 18).
     */
    RecordingWriter subscribe(final long objectTimeoutNanos, final long subgroupTimeoutNanos)
    {
        final RecordingWriter w = new RecordingWriter();
        w.objectDeliveryTimeoutNanos = objectTimeoutNanos;
        w.subgroupDeliveryTimeoutNanos = subgroupTimeoutNanos;
        h.session("sub").subscribe(2, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), w,
            new Callbacks.Sub());
        h.poll();
        return w;
    }

    static void sleepPastTheTimeout() throws InterruptedException
    {
        Thread.sleep(TIMEOUT_MILLIS * 2);
    }

    /** The stalled {@code writers} can write again: the loop serves what waited. */
    void resume(final RecordingWriter... writers)
    {
        for (final RecordingWriter w : writers)
        {
            w.writable = true;
        }
        h.relay.egressLoop(0).signal();
        h.poll();
    }

    long objectsTimedOut()
    {
        return h.relay.egressLoop(0).counters().objectsTimedOut();
    }

    @Override
    public void close()
    {
        h.close();
    }
}
