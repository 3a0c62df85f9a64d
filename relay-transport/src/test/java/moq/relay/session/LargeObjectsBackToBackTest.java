package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import moq.relay.ServedDrafts;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Large objects back to back on one subgroup, written without waiting, then a small one and the FIN, and more groups
 * behind them (HostilePeersIT's defect-3 scenario): every object arrives byte for byte and in order, live and in a
 * FETCH of the range afterwards. The relay hands an object above {@code SlicedStreamWrites.SLICE_BYTES} to QUIC in
 * slices, the next from a later event-loop turn, on subgroup and FETCH streams alike; a writer that let the next object
 * or the FIN overtake the slices still to go corrupts the stream (docs/hardening.md).
 * The subscriber's backlog bounds are set well above the 6 MiB burst: they reset a subscriber that falls behind them
 * (TOO_FAR_BEHIND) by design, sliced or not, which is not what this test is about.
 */
class LargeObjectsBackToBackTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
        RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "96m",
        RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "24m",
        RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "16m",
        RelayConfiguration.SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME, "30s",
        RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "4m"));

    private static byte[] bytes(final Random random, final int length)
    {
        final byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void largeObjectsBackToBackOnOneSubgroupAllArriveByteExact(final Draft draft) throws Exception
    {
        final Random random = new Random(21);
        final List<List<byte[]>> script = List.of(
            List.of(bytes(random, 1 << 20), bytes(random, 2 << 20), bytes(random, 300)),
            List.of(bytes(random, (1 << 20) + 1), bytes(random, 10)),
            List.of(bytes(random, 2 << 20)));
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final List<String> resets = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Received live = new Received();
        final moq.relay.client.SubscriptionListener listener = new moq.relay.client.SubscriptionListener()
        {
            @Override
            public void onObject(final moq.relay.client.ReceivedObject o)
            {
                live.onObject(o);
            }

            @Override
            public void onSubgroupEnd(final long groupId, final long subgroupId, final boolean reset)
            {
                if (reset)
                {
                    resets.add(groupId + "/" + subgroupId);
                }
            }
        };
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, listener).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        RelayEndToEndTest.publishGroups(track, script, 0);
        RelayFixture.await(() -> live.normalObjects() == 6 && live.payloads.size() == live.ids.size(),
            () -> "6 objects live, got " + ids(live) + "; subgroups reset: " + resets + "; too far behind: " +
                relay.relay.egressLoop(0).counters().tooFarBehindResets());
        RelayEndToEndTest.assertDelivered(live, script, 0);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void aFetchOfLargeObjectsAndSmallOnesAfterThemArrivesCompleteAndByteExact(final Draft draft) throws Exception
    {
        final Random random = new Random(22);
        final List<List<byte[]>> script = List.of(
            List.of(bytes(random, 1 << 20), bytes(random, 2 << 20), bytes(random, 300), bytes(random, 7)),
            List.of(bytes(random, 2 << 20), bytes(random, 10)),
            List.of(bytes(random, 1 << 20)),
            List.of(bytes(random, 40), bytes(random, 1)));
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received live = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, live).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, script, 0);
        RelayFixture.await(() -> live.normalObjects() == 9 && live.payloads.size() == live.ids.size(),
            () -> "9 objects live (so all in the cache), got " + ids(live));

        final Received fetched = Fetches.fetchAll(relay.connect(draft), new Location(0, 0), new Location(3, 0), 20);
        assertThat(fetched.normalObjects()).as(ids(fetched)).isEqualTo(9);
        RelayEndToEndTest.assertDelivered(fetched, script, 0);
    }

    private static String ids(final Received r)
    {
        final StringBuilder b = new StringBuilder();
        r.ids.forEach(id -> b.append(id[0]).append('/').append(id[1]).append(':').append(id[2]).append(' '));
        return b.toString();
    }
}
