package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.KeyValuePair;

/**
 * SUBGROUP_DELIVERY_TIMEOUT (draft-21 §5.2, §9.20.4, §10.1) in the engine: the timer of a subgroup starts when its FIN
 * arrives from the publisher; a subgroup stream that has not taken all its data by then is reset with
 * DELIVERY_TIMEOUT, its objects still waiting dropped (no new stream for them). Objects of a subgroup whose FIN has
 * not arrived are not timed by it, however long they waited; datagrams take the smaller of it and
 * OBJECT_DELIVERY_TIMEOUT. The publisher's track property (0x06) applies as OBJECT_DELIVERY_TIMEOUT's does.
 */
class SubgroupDeliveryTimeoutTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "live");
    private static final long TIMEOUT_NANOS = 40_000_000L;

    private static UpstreamSubscription publish(final Harness h, final List<KeyValuePair> properties)
    {
        return h.session("pub").publish(1, TRACK, properties, null, new UpstreamFetchTest.FetchingPublisher(),
            new Callbacks.Req());
    }

    private static RecordingWriter subscribe(final Harness h, final long subgroupTimeoutNanos)
    {
        final RecordingWriter w = new RecordingWriter();
        w.objectDeliveryTimeoutNanos = 0; // draft 20 without an OBJECT_DELIVERY_TIMEOUT
        w.subgroupDeliveryTimeoutNanos = subgroupTimeoutNanos;
        h.session("sub").subscribe(2, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), w,
            new Callbacks.Sub());
        h.poll();
        return w;
    }

    private static void sleepPastTheTimeout() throws InterruptedException
    {
        Thread.sleep(TIMEOUT_NANOS / 1_000_000 * 2);
    }

    /** Subgroup 0/0 and 1/0 end while the subscriber stalls; 2/0 waits as long but has not ended. */
    private static void stallPastTheTimeout(final Harness h, final UpstreamSubscription up, final RecordingWriter w)
        throws InterruptedException
    {
        h.send(up.ingest(), 0, 0, 0, 100);
        h.poll();
        assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0");
        w.writable = false;
        h.send(up.ingest(), 0, 0, 1, 100);
        h.send(up.ingest(), 0, 0, 2, 100);
        up.ingest().endSubgroup(0, 0);
        h.send(up.ingest(), 1, 0, 0, 100);
        up.ingest().endSubgroup(1, 0);
        h.send(up.ingest(), 2, 0, 0, 100);
        h.poll();
        sleepPastTheTimeout();
        w.writable = true;
        h.relay.egressLoop(0).signal();
        h.poll();
    }

    @Test
    void aSubgroupNotDeliveredWithinTheTimeoutOfItsFinIsResetAndTheRestDropped() throws Exception
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publish(h, List.of());
            final RecordingWriter w = subscribe(h, TIMEOUT_NANOS);
            stallPastTheTimeout(h, up, w);
            // 0/0 reset with its two waiting objects dropped; 1/0 never opened (its object dropped); 2/0 not ended.
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0",
                "reset 0/0 " + StreamResetCode.DELIVERY_TIMEOUT, "open 2/0 from 0", "object 2/0/0");
            assertThat(h.relay.egressLoop(0).counters().objectsTimedOut()).isEqualTo(3);
        }
    }

    @Test
    void thePublishersTrackPropertyAppliesAndAWriterWithoutDeliveryTimeoutsGetsEverything() throws Exception
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publish(h,
                List.of(KeyValuePair.ofVarint(0x06, TIMEOUT_NANOS / 1_000_000)));
            final RecordingWriter w = subscribe(h, 0);
            final RecordingWriter untimed = subscribe(h, -1);
            untimed.objectDeliveryTimeoutNanos = -1; // a draft-18 writer
            stallPastTheTimeout(h, up, w);
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0",
                "reset 0/0 " + StreamResetCode.DELIVERY_TIMEOUT, "open 2/0 from 0", "object 2/0/0");
            assertThat(untimed.calls).contains("object 0/0/2", "end 0/0", "object 1/0/0", "end 1/0");
        }
    }
}
