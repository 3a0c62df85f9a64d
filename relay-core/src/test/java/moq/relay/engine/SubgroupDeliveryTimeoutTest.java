package moq.relay.engine;

import static moq.relay.engine.DeliveryTimeoutFixture.TIMEOUT_MILLIS;
import static moq.relay.engine.DeliveryTimeoutFixture.TIMEOUT_NANOS;
import static moq.relay.engine.DeliveryTimeoutFixture.sleepPastTheTimeout;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.KeyValuePair;

/**
 * SUBGROUP_DELIVERY_TIMEOUT (draft-21 §5.2, §9.20.4, §10.1) in the engine: the timer of a subgroup starts when its FIN
 * arrives from the publisher; a subgroup stream that has not taken all its data by then is reset with
 * DELIVERY_TIMEOUT, its objects still waiting dropped (no new stream for them). Objects of a subgroup whose FIN has
 * not arrived are not timed by it, however long they waited; datagrams take the smaller of it and
 * OBJECT_DELIVERY_TIMEOUT. The publisher's track property (0x06) applies as OBJECT_DELIVERY_TIMEOUT's does, and so does
 * its Object Property on a subgroup's first object, for that subgroup. A FIN handed to the writer in time carries the
 * time left, for the writer to reset the stream if the transport has not taken it all by then.
 */
class SubgroupDeliveryTimeoutTest
{
    /** Subgroup 0/0 and 1/0 end while the subscriber stalls; 2/0 waits as long but has not ended. */
    private static void stallPastTheTimeout(final DeliveryTimeoutFixture f, final UpstreamSubscription up,
        final RecordingWriter w, final RecordingWriter... others) throws InterruptedException
    {
        f.h.send(up.ingest(), 0, 0, 0, 100);
        f.h.poll();
        assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0");
        w.writable = false;
        for (final RecordingWriter o : others)
        {
            o.writable = false;
        }
        f.h.send(up.ingest(), 0, 0, 1, 100);
        f.h.send(up.ingest(), 0, 0, 2, 100);
        up.ingest().endSubgroup(0, 0);
        f.h.send(up.ingest(), 1, 0, 0, 100);
        up.ingest().endSubgroup(1, 0);
        f.h.send(up.ingest(), 2, 0, 0, 100);
        f.h.poll();
        sleepPastTheTimeout();
        f.resume(w);
        f.resume(others);
    }

    @Test
    void aSubgroupNotDeliveredWithinTheTimeoutOfItsFinIsResetAndTheRestDropped() throws Exception
    {
        try (DeliveryTimeoutFixture f = new DeliveryTimeoutFixture())
        {
            final UpstreamSubscription up = f.publish(List.of());
            final RecordingWriter w = f.subscribe(0, TIMEOUT_NANOS);
            stallPastTheTimeout(f, up, w);
            // 0/0 reset with its two waiting objects dropped; 1/0 never opened (its object dropped); 2/0 not ended.
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0",
                "reset 0/0 " + StreamResetCode.DELIVERY_TIMEOUT, "open 2/0 from 0", "object 2/0/0");
            assertThat(f.objectsTimedOut()).isEqualTo(3);
        }
    }

    @Test
    void thePublishersTrackPropertyAppliesAndAWriterWithoutDeliveryTimeoutsGetsEverything() throws Exception
    {
        try (DeliveryTimeoutFixture f = new DeliveryTimeoutFixture())
        {
            final UpstreamSubscription up = f.publish(List.of(KeyValuePair.ofVarint(0x06, TIMEOUT_MILLIS)));
            final RecordingWriter w = f.subscribe(0, 0);
            final RecordingWriter untimed = f.subscribe(-1, -1); // a draft-18 writer
            stallPastTheTimeout(f, up, w, untimed);
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0",
                "reset 0/0 " + StreamResetCode.DELIVERY_TIMEOUT, "open 2/0 from 0", "object 2/0/0");
            assertThat(untimed.calls).contains("object 0/0/2", "end 0/0", "object 1/0/0", "end 1/0");
        }
    }

    /** §5.2, §10.1: SUBGROUP_DELIVERY_TIMEOUT as an Object Property of a subgroup's first object, for it. */
    @Test
    void theFirstObjectsPropertyTimesItsSubgroup() throws Exception
    {
        try (DeliveryTimeoutFixture f = new DeliveryTimeoutFixture())
        {
            final UpstreamSubscription up = f.publish(List.of());
            final RecordingWriter w = f.subscribe(0, 0);
            w.writable = false;
            ObjectDeliveryTimeoutTest.send(up.ingest(), 0, 0, true,
                new UnsafeBuffer(new byte[] {0x06, (byte)TIMEOUT_MILLIS}));
            up.ingest().endSubgroup(0, 0);
            ObjectDeliveryTimeoutTest.send(up.ingest(), 1, 0, true, null);
            up.ingest().endSubgroup(1, 0);
            f.h.poll();
            sleepPastTheTimeout();
            f.resume(w);
            assertThat(w.calls).containsExactly("open 1/0 from 0", "object 1/0/0", "end 1/0");
        }
    }

    /** A FIN in time reaches the writer with the rest of its SUBGROUP_DELIVERY_TIMEOUT, for the transport's check. */
    @Test
    void aFinInTimeCarriesTheTimeLeft() throws Exception
    {
        try (DeliveryTimeoutFixture f = new DeliveryTimeoutFixture())
        {
            final UpstreamSubscription up = f.publish(List.of());
            final RecordingWriter w = f.subscribe(0, TIMEOUT_NANOS);
            final RecordingWriter untimed = f.subscribe(0, 0);
            f.h.send(up.ingest(), 0, 0, 0, 100);
            up.ingest().endSubgroup(0, 0);
            f.h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0", "end 0/0");
            assertThat(w.lastDeliverWithinNanos).isPositive().isLessThanOrEqualTo(TIMEOUT_NANOS);
            assertThat(untimed.calls).endsWith("end 0/0");
            assertThat(untimed.lastDeliverWithinNanos).as("no timeout: a plain FIN").isZero();
        }
    }
}
