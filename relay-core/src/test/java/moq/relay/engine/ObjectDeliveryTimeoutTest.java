package moq.relay.engine;

import static moq.relay.engine.DeliveryTimeoutFixture.TIMEOUT_MILLIS;
import static moq.relay.engine.DeliveryTimeoutFixture.sleepPastTheTimeout;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.KeyValuePair;

/**
 * OBJECT_DELIVERY_TIMEOUT (draft-21 §5.2) in the engine: an object whose time since ingest passed the subscriber's
 * timeout (or the publisher's track property, the smaller of both) when its turn comes is not written, its subgroup
 * stream is reset with DELIVERY_TIMEOUT and the subgroup's later objects are dropped without a new stream; datagrams
 * are dropped. A writer of a draft the relay gives no delivery timeout (-1) gets every object. The publisher's value
 * for one subgroup may be an Object Property of its first object (§5.2, §10.2), which overrides the track's there.
 */
class ObjectDeliveryTimeoutTest
{
    @Test
    void objectsThatWaitedPastTheTimeoutAreDroppedAndTheirOpenSubgroupReset() throws Exception
    {
        try (DeliveryTimeoutFixture f = new DeliveryTimeoutFixture())
        {
            final UpstreamSubscription up = f.publish(List.of());
            final RecordingWriter w = f.subscribe(DeliveryTimeoutFixture.TIMEOUT_NANOS, -1);
            f.h.send(up.ingest(), 0, 0, 0, 100);
            f.h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0");

            w.writable = false; // the subscriber stalls: objects wait in the relay
            f.h.send(up.ingest(), 0, 0, 1, 100);
            f.h.send(up.ingest(), 1, 0, 0, 100);
            f.h.poll();
            sleepPastTheTimeout();
            f.h.send(up.ingest(), 0, 0, 2, 100); // fresh, but its subgroup already timed out: no new stream
            up.ingest().endSubgroup(0, 0);
            f.h.send(up.ingest(), 2, 0, 0, 100); // fresh
            f.resume(w);
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0",
                "reset 0/0 " + StreamResetCode.DELIVERY_TIMEOUT, "open 2/0 from 0", "object 2/0/0");
            assertThat(f.objectsTimedOut()).isEqualTo(3);
        }
    }

    @Test
    void thePublishersTrackPropertyAppliesAndTheSmallerWins() throws Exception
    {
        try (DeliveryTimeoutFixture f = new DeliveryTimeoutFixture())
        {
            final UpstreamSubscription up = f.publish(List.of(KeyValuePair.ofVarint(0x02, TIMEOUT_MILLIS)));
            final RecordingWriter none = f.subscribe(0, -1); // draft 20 without a timeout of its own
            final RecordingWriter longer = f.subscribe(60_000_000_000L, -1);
            none.writable = false;
            longer.writable = false;
            f.h.send(up.ingest(), 0, 0, 0, 100);
            f.h.poll();
            sleepPastTheTimeout();
            f.resume(none, longer);
            assertThat(none.calls).isEmpty();
            assertThat(longer.calls).as("the publisher's 40 ms, smaller than the subscriber's minute").isEmpty();
        }
    }

    @Test
    void aWriterOfADraftWithoutDeliveryTimeoutsGetsEveryObject() throws Exception
    {
        try (DeliveryTimeoutFixture f = new DeliveryTimeoutFixture())
        {
            final UpstreamSubscription up = f.publish(List.of(KeyValuePair.ofVarint(0x02, TIMEOUT_MILLIS)));
            final RecordingWriter w = f.subscribe(-1, -1);
            w.writable = false;
            f.h.send(up.ingest(), 0, 0, 0, 100);
            f.h.poll();
            sleepPastTheTimeout();
            f.resume(w);
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0");
        }
    }

    /**
     * §5.2: "Either timeout value can also be set as an Object Property on the first object in a subgroup, overriding
     * the Track-level value for that subgroup. If either timeout is set as an Object Property on any object other
     * than the first in a subgroup, it is ignored." Subgroup 0/0 sets 40 ms on its first object (the track has none),
     * 1/0 sets it on its second object only, 2/0 sets 0 (no timeout) on its first under a track value of 40 ms.
     */
    @Test
    void theFirstObjectsPropertyOverridesTheTracksValueForItsSubgroup() throws Exception
    {
        try (DeliveryTimeoutFixture f = new DeliveryTimeoutFixture())
        {
            final UpstreamSubscription up = f.publish(List.of());
            final RecordingWriter w = f.subscribe(0, 0);
            final RecordingWriter untimed = f.subscribe(-1, -1); // draft 18: no delivery timeouts at all
            w.writable = false;
            untimed.writable = false;
            final UnsafeBuffer timeout = new UnsafeBuffer(new byte[] {0x02, (byte)TIMEOUT_MILLIS});
            send(up.ingest(), 0, 0, true, timeout);
            send(up.ingest(), 0, 1, false, null);
            send(up.ingest(), 1, 0, true, null);
            send(up.ingest(), 1, 1, false, timeout); // not the first: ignored
            f.h.poll();
            sleepPastTheTimeout();
            f.resume(w, untimed);
            assertThat(w.calls).containsExactly("open 1/0 from 0", "object 1/0/0", "object 1/0/1");
            assertThat(untimed.calls).contains("object 0/0/1", "object 1/0/1");

            // A track value of 40 ms, and a first object saying 0: that subgroup has none.
            try (DeliveryTimeoutFixture g = new DeliveryTimeoutFixture())
            {
                final UpstreamSubscription up2 = g.publish(List.of(KeyValuePair.ofVarint(0x02, TIMEOUT_MILLIS)));
                final RecordingWriter w2 = g.subscribe(0, 0);
                w2.writable = false;
                send(up2.ingest(), 0, 0, true, new UnsafeBuffer(new byte[] {0x02, 0}));
                send(up2.ingest(), 1, 0, true, null);
                g.h.poll();
                sleepPastTheTimeout();
                g.resume(w2);
                assertThat(w2.calls).containsExactly("open 0/0 from 0", "object 0/0/0");
            }
        }
    }

    /** Object {@code group/object} of subgroup 0 with {@code properties} (draft-18+ encoded, or none). */
    static void send(final TrackIngest ingest, final long group, final long object, final boolean first,
        final UnsafeBuffer properties)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        ingest.object(first ? TrackIngest.FIRST_IN_SUBGROUP : 0, group, 0, object, 128, 0, properties, 0,
            properties == null ? 0 : properties.capacity(), payload, 0, payload.capacity());
    }
}
