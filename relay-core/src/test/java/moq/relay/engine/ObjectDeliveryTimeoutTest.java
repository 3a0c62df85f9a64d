package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.KeyValuePair;

/**
 * OBJECT_DELIVERY_TIMEOUT (draft-21 §5.2) in the engine: an object whose time since ingest passed the subscriber's
 * timeout (or the publisher's track property, the smaller of both) when its turn comes is not written, its subgroup
 * stream is reset with DELIVERY_TIMEOUT and the subgroup's later objects are dropped without a new stream; datagrams
 * are dropped. A writer of a draft the relay gives no delivery timeout (-1) gets every object.
 */
class ObjectDeliveryTimeoutTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "live");
    private static final long TIMEOUT_NANOS = 40_000_000L;

    private static UpstreamSubscription publish(final Harness h, final List<KeyValuePair> properties)
    {
        return h.session("pub").publish(1, TRACK, properties, null, new UpstreamFetchTest.FetchingPublisher(),
            new Callbacks.Req());
    }

    private static RecordingWriter subscribe(final Harness h, final long writerTimeoutNanos)
    {
        final RecordingWriter w = new RecordingWriter();
        w.objectDeliveryTimeoutNanos = writerTimeoutNanos;
        h.session("sub").subscribe(2, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), w,
            new Callbacks.Sub());
        h.poll();
        return w;
    }

    private static void sleepPastTheTimeout() throws InterruptedException
    {
        Thread.sleep(TIMEOUT_NANOS / 1_000_000 * 2);
    }

    @Test
    void objectsThatWaitedPastTheTimeoutAreDroppedAndTheirOpenSubgroupReset() throws Exception
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publish(h, List.of());
            final RecordingWriter w = subscribe(h, TIMEOUT_NANOS);
            h.send(up.ingest(), 0, 0, 0, 100);
            h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0");

            w.writable = false; // the subscriber stalls: objects wait in the relay
            h.send(up.ingest(), 0, 0, 1, 100);
            h.send(up.ingest(), 1, 0, 0, 100);
            h.poll();
            sleepPastTheTimeout();
            h.send(up.ingest(), 0, 0, 2, 100); // fresh, but its subgroup already timed out: no new stream
            up.ingest().endSubgroup(0, 0);
            h.send(up.ingest(), 2, 0, 0, 100); // fresh
            w.writable = true;
            h.relay.egressLoop(0).signal();
            h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0",
                "reset 0/0 " + StreamResetCode.DELIVERY_TIMEOUT, "open 2/0 from 0", "object 2/0/0");
            assertThat(h.relay.egressLoop(0).counters().objectsTimedOut()).isEqualTo(3);
        }
    }

    @Test
    void thePublishersTrackPropertyAppliesAndTheSmallerWins() throws Exception
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publish(h,
                List.of(KeyValuePair.ofVarint(0x02, TIMEOUT_NANOS / 1_000_000)));
            final RecordingWriter none = subscribe(h, 0); // draft 20 without a timeout of its own
            final RecordingWriter longer = subscribe(h, 60_000_000_000L);
            none.writable = false;
            longer.writable = false;
            h.send(up.ingest(), 0, 0, 0, 100);
            h.poll();
            sleepPastTheTimeout();
            none.writable = true;
            longer.writable = true;
            h.relay.egressLoop(0).signal();
            h.poll();
            assertThat(none.calls).isEmpty();
            assertThat(longer.calls).as("the publisher's 40 ms, smaller than the subscriber's minute").isEmpty();
        }
    }

    @Test
    void aWriterOfADraftWithoutDeliveryTimeoutsGetsEveryObject() throws Exception
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publish(h,
                List.of(KeyValuePair.ofVarint(0x02, TIMEOUT_NANOS / 1_000_000)));
            final RecordingWriter w = subscribe(h, -1);
            w.writable = false;
            h.send(up.ingest(), 0, 0, 0, 100);
            h.poll();
            sleepPastTheTimeout();
            w.writable = true;
            h.relay.egressLoop(0).signal();
            h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0");
        }
    }
}
