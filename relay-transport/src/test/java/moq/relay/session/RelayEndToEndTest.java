package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.ServedDrafts;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Publishers and subscribers (real {@link MoqClient}s) through a real relay on loopback, per draft. */
class RelayEndToEndTest
{
    static final TrackNamespace NS = TrackNamespace.of("live", "room");
    static final Bytes TRACK = Bytes.utf8("video");

    // Lossless checks: the backlog's time bound would skip (counted, by design: BacklogDelayTest) a subscriber
    // that a loaded machine starves for a second, which these tests would report as lost objects; 100
    // subscribers in this JVM on a busy 2-core box hit it. The byte bound stays.
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(
        java.util.Map.of(moq.relay.config.RelayConfiguration.SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME, "0s"));

    /** What one subscriber received. */
    static final class Received implements SubscriptionListener
    {
        final List<long[]> ids = new CopyOnWriteArrayList<>();
        final List<byte[]> payloads = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            // Payload first: tests wait on the ids' count and then read the payloads.
            payloads.add(o.payloadBytes());
            ids.add(new long[] {o.groupId(), o.objectId(), o.status()});
        }

        @Override
        public void onPublishDone(final long statusCode, final long streamCount, final String reason)
        {
            done.complete(statusCode);
        }

        int normalObjects()
        {
            int n = 0;
            for (final long[] id : ids)
            {
                n += id[2] == ObjectStatus.NORMAL ? 1 : 0;
            }
            return n;
        }
    }

    static List<List<byte[]>> script(final int groups, final int objects, final long seed)
    {
        final Random random = new Random(seed);
        final List<List<byte[]>> script = new ArrayList<>();
        for (int g = 0; g < groups; g++)
        {
            final List<byte[]> group = new ArrayList<>();
            for (int o = 0; o < objects; o++)
            {
                final byte[] b = new byte[1 + random.nextInt(3000)];
                random.nextBytes(b);
                group.add(b);
            }
            script.add(group);
        }
        return script;
    }

    static void publishGroups(final TrackPublisher track, final List<List<byte[]>> script, final long firstGroup)
    {
        for (int g = 0; g < script.size(); g++)
        {
            final SubgroupWriter w = track.openSubgroup(firstGroup + g, 0);
            final List<byte[]> objects = script.get(g);
            for (int o = 0; o < objects.size(); o++)
            {
                w.write(o, Unpooled.wrappedBuffer(objects.get(o)));
            }
            w.endGroup(objects.size());
        }
    }

    /** Each group's objects arrived complete, in object-ID order (groups travel on concurrent streams). */
    static void assertDelivered(final Received r, final List<List<byte[]>> script, final long firstGroup)
    {
        for (int g = 0; g < script.size(); g++)
        {
            final List<byte[]> payloads = new ArrayList<>();
            long previous = -1;
            for (int i = 0; i < r.ids.size(); i++)
            {
                final long[] id = r.ids.get(i);
                if (id[0] == firstGroup + g && id[2] == ObjectStatus.NORMAL)
                {
                    assertThat(id[1]).as("object ids of group %d ascend", g).isGreaterThan(previous);
                    previous = id[1];
                    payloads.add(r.payloads.get(i));
                }
            }
            assertThat(payloads).as("payloads of group %d", g).hasSize(script.get(g).size());
            for (int o = 0; o < payloads.size(); o++)
            {
                assertThat(payloads.get(o)).as("payload %d/%d", g, o).isEqualTo(script.get(g).get(o));
            }
        }
    }

    @ParameterizedTest(name = "{0} to {1} subscribers")
    @CsvSource({"DRAFT_18, 1", "DRAFT_18, 10", "DRAFT_18, 100", "DRAFT_20, 1", "DRAFT_20, 10", "DRAFT_14, 1",
        "DRAFT_14, 10", "DRAFT_14, 100"})
    void publishedObjectsReachEverySubscriberInOrderByteExact(final Draft draft, final int subscribers)
        throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);

        final List<Received> received = new ArrayList<>();
        final List<CompletableFuture<Subscription>> subscribed = new ArrayList<>();
        final List<CompletableFuture<MoqClient>> connecting = new ArrayList<>();
        for (int i = 0; i < subscribers; i++)
        {
            connecting.add(CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return relay.connect(draft);
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (final CompletableFuture<MoqClient> c : connecting)
        {
            final Received r = new Received();
            received.add(r);
            subscribed.add(c.get(20, TimeUnit.SECONDS).subscribe(NS, TRACK, SubscribeOptions.LATEST, r));
        }
        for (final CompletableFuture<Subscription> s : subscribed)
        {
            s.get(10, TimeUnit.SECONDS);
        }
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        assertThat(relay.relay.upstreamSubscribeCount()).as("one upstream SUBSCRIBE for all").isEqualTo(1);

        final List<List<byte[]>> script = script(3, 20, subscribers);
        publishGroups(track, script, 0);
        for (final Received r : received)
        {
            RelayFixture.await(() -> r.normalObjects() >= 60, "60 objects");
            assertDelivered(r, script, 0);
        }
    }

    @ParameterizedTest(name = "{0} publisher to {1} subscriber")
    @CsvSource({"DRAFT_14, DRAFT_18", "DRAFT_18, DRAFT_14", "DRAFT_20, DRAFT_18", "DRAFT_18, DRAFT_20",
        "DRAFT_20, DRAFT_14", "DRAFT_14, DRAFT_20"})
    void publisherOfOneDraftFeedsSubscriberOfTheOther(final Draft publisherDraft, final Draft subscriberDraft)
        throws Exception
    {
        final MoqClient publisher = relay.connect(publisherDraft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received r = new Received();
        relay.connect(subscriberDraft).subscribe(NS, TRACK, SubscribeOptions.LATEST, r).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final List<List<byte[]>> script = script(3, 10, 11);
        publishGroups(track, script, 0);
        track.finish(0x2, "done");
        assertThat(r.done.get(5, TimeUnit.SECONDS)).as("PUBLISH_DONE TRACK_ENDED in the subscriber's draft")
            .isEqualTo(0x2L);
        assertDelivered(r, script, 0);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void objectPropertiesAndSubgroupIdsAreForwardedByteForByte(final Draft draft) throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final List<ReceivedObject> got = new CopyOnWriteArrayList<>();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                got.add(new ReceivedObject(o.groupId(), o.subgroupId(), o.objectId(), o.status(),
                    o.publisherPriority(), o.properties(), Unpooled.wrappedBuffer(o.payloadBytes()), o.datagram()));
            }
        }).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final SubgroupWriter w = track.openSubgroup(1, 5, 3, true);
        w.write(0, new byte[] {0x3C, 0x01}, Unpooled.wrappedBuffer("props".getBytes(StandardCharsets.UTF_8)));
        w.write(1, Unpooled.wrappedBuffer("plain".getBytes(StandardCharsets.UTF_8)));
        w.close();
        RelayFixture.await(() -> got.size() == 2, "2 objects");
        assertThat(got.get(0).subgroupId()).isEqualTo(5);
        assertThat(got.get(0).publisherPriority()).isEqualTo(3);
        assertThat(got.get(0).properties()).containsExactly(0x3C, 0x01);
        assertThat(got.get(0).payloadBytes()).isEqualTo("props".getBytes(StandardCharsets.UTF_8));
        assertThat(got.get(1).properties()).isEmpty();
        assertThat(got.get(1).payloadBytes()).isEqualTo("plain".getBytes(StandardCharsets.UTF_8));
    }
}
