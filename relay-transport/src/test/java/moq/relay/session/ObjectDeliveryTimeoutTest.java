package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.EgressCounters;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Draft 20's OBJECT_DELIVERY_TIMEOUT (draft-21 §5.2) over real QUIC: a subscriber that stalls (its event loop blocked,
 * so it reads nothing and acknowledges nothing) while the publisher keeps sending. Objects the relay could not send
 * within the subscriber's timeout of receiving them are dropped for it, counted, and their subgroup streams reset
 * with DELIVERY_TIMEOUT (no new stream for the rest of such a subgroup); what the publisher sends after the stall
 * arrives. A draft-18 subscriber stalled the same way (the relay applies no delivery timeout on drafts 14 and 18) gets
 * every object.
 */
class ObjectDeliveryTimeoutTest
{
    private static final int GROUPS_DURING_STALL = 30;
    private static final int GROUPS_AFTER = 5;
    private static final int OBJECTS = 4;
    private static final int PAYLOAD = 16 * 1024;
    private static final long STALL_MS = 1200;
    private static final long TIMEOUT_MS = 150;

    // No time or byte bound of the relay's own may reset the stalled subscribers: only the delivery timeout acts.
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME, "0s",
        RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "32m",
        RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "64m"));

    /** Blocks its client's event loop on the first object for {@link #STALL_MS}, then counts what arrives. */
    static final class Stalling implements SubscriptionListener
    {
        final CountDownLatch stalled = new CountDownLatch(1);
        final AtomicInteger objects = new AtomicInteger();
        final AtomicInteger afterStall = new AtomicInteger();
        final AtomicInteger resets = new AtomicInteger();
        volatile long firstAfterGroup = Long.MAX_VALUE;

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() != ObjectStatus.NORMAL)
            {
                return;
            }
            if (stalled.getCount() == 1)
            {
                stalled.countDown();
                try
                {
                    Thread.sleep(STALL_MS); // the subscriber's event loop: nothing is read or acknowledged meanwhile
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            objects.incrementAndGet();
            if (o.groupId() >= firstAfterGroup)
            {
                afterStall.incrementAndGet();
            }
        }

        @Override
        public void onSubgroupEnd(final long groupId, final long subgroupId, final boolean reset)
        {
            if (reset)
            {
                resets.incrementAndGet();
            }
        }
    }

    private long timedOut()
    {
        long n = 0;
        for (int i = 0; i < relay.relay.egressLoopCount(); i++)
        {
            final EgressCounters c = relay.relay.egressLoop(i).counters();
            n += c.objectsTimedOut();
        }
        return n;
    }

    private static void publishGroup(final TrackPublisher track, final long g, final byte[] payload)
    {
        final SubgroupWriter w = track.openSubgroup(g, 0);
        for (int o = 0; o < OBJECTS; o++)
        {
            w.write(o, Unpooled.wrappedBuffer(payload));
        }
        w.endGroup(OBJECTS);
    }

    @Test
    void objectsPastTheSubscribersTimeoutAreDroppedAndTheirSubgroupsReset() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_20);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);

        final Stalling timed = new Stalling();
        final Stalling untimed = new Stalling();
        relay.connect(Draft.DRAFT_20).subscribeWithObjectDeliveryTimeout(NS, TRACK, SubscribeOptions.LATEST, timed,
            TIMEOUT_MS).get(5, TimeUnit.SECONDS);
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, untimed).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        final byte[] payload = new byte[PAYLOAD];
        publishGroup(track, 0, payload);
        assertThat(timed.stalled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(untimed.stalled.await(5, TimeUnit.SECONDS)).isTrue();
        // While both stall: two megabytes, far more than a blocked peer's congestion window lets the relay send.
        for (int g = 1; g <= GROUPS_DURING_STALL; g++)
        {
            publishGroup(track, g, payload);
            Thread.sleep(STALL_MS / 2 / GROUPS_DURING_STALL);
        }
        Thread.sleep(STALL_MS);
        final long firstAfter = GROUPS_DURING_STALL + 1;
        timed.firstAfterGroup = firstAfter;
        untimed.firstAfterGroup = firstAfter;
        for (long g = firstAfter; g < firstAfter + GROUPS_AFTER; g++)
        {
            publishGroup(track, g, payload);
        }
        final int total = (1 + GROUPS_DURING_STALL + GROUPS_AFTER) * OBJECTS;
        RelayFixture.await(() -> untimed.objects.get() == total, () -> "the draft-18 subscriber's " + total +
            " objects, got " + untimed.objects.get());
        RelayFixture.await(() -> timed.afterStall.get() == GROUPS_AFTER * OBJECTS,
            () -> "the objects published after the stall, got " + timed.afterStall.get());

        assertThat(untimed.resets.get()).as("no delivery timeout on draft 18").isZero();
        assertThat(timed.objects.get()).as("objects past the timeout were not sent").isLessThan(total);
        // Counted per object record (each group's End of Group status object too); objects already handed to a
        // stream that was then reset are lost with it, not counted.
        assertThat(timedOut()).as("counted").isPositive();
        assertThat(timed.resets.get()).as("subgroup streams reset with DELIVERY_TIMEOUT").isPositive();
    }

    /**
     * SUBGROUP_DELIVERY_TIMEOUT (draft-21 §5.2, §9.20.4): each group's subgroup ends (FIN) as it is published; those
     * the stalled subscriber could not take within the timeout of their FIN are reset with DELIVERY_TIMEOUT, their
     * waiting objects dropped; the groups published after the stall arrive.
     */
    @Test
    void subgroupsNotDeliveredWithinTheTimeoutOfTheirFinAreReset() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_20);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);

        final Stalling timed = new Stalling();
        relay.connect(Draft.DRAFT_20).subscribeWithParameters(NS, TRACK, SubscribeOptions.LATEST, timed,
            java.util.List.of(new moq.relay.wire.param.Parameter.SubgroupDeliveryTimeout(TIMEOUT_MS)))
            .get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        final byte[] payload = new byte[PAYLOAD];
        publishGroup(track, 0, payload);
        assertThat(timed.stalled.await(5, TimeUnit.SECONDS)).isTrue();
        for (int g = 1; g <= GROUPS_DURING_STALL; g++)
        {
            publishGroup(track, g, payload);
            Thread.sleep(STALL_MS / 2 / GROUPS_DURING_STALL);
        }
        Thread.sleep(STALL_MS);
        final long firstAfter = GROUPS_DURING_STALL + 1;
        timed.firstAfterGroup = firstAfter;
        for (long g = firstAfter; g < firstAfter + GROUPS_AFTER; g++)
        {
            publishGroup(track, g, payload);
        }
        final int total = (1 + GROUPS_DURING_STALL + GROUPS_AFTER) * OBJECTS;
        RelayFixture.await(() -> timed.afterStall.get() == GROUPS_AFTER * OBJECTS,
            () -> "the objects published after the stall, got " + timed.afterStall.get());
        assertThat(timed.objects.get()).as("objects of subgroups past the timeout were not sent").isLessThan(total);
        assertThat(timedOut()).as("counted").isPositive();
        assertThat(timed.resets.get()).as("subgroup streams reset with DELIVERY_TIMEOUT").isPositive();
    }
}
