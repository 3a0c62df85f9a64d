package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import moq.relay.ServedDrafts;
import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.FullTrackName;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Objects of a store segment and more (issue 12): a 1 MiB object with the default 1 MiB segments used to vanish without
 * a word. Here with 256 KiB segments and a 2 MiB maximum object: objects of exactly a segment, of two segments, just
 * below and at the maximum reach a live subscriber, a late joiner served from the cache and a FETCH byte for byte and
 * in order; an object above the maximum resets only its subgroup (the next group flows) and is counted.
 */
class LargeObjectsTest
{
    private static final int SEGMENT = 256 << 10;
    private static final int MAX_OBJECT = 2 << 20;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
        RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "8m",
        RelayConfiguration.TRACK_CACHE_GROUPS_PROP_NAME, "8",
        RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "1m",
        RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "2m"));

    private static byte[] bytes(final Random random, final int length)
    {
        final byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void largeObjectsReachLiveLateAndFetchingSubscribersAndOversizedOnesResetOnlyTheirSubgroup(final Draft draft)
        throws Exception
    {
        final Random random = new Random(12);
        // Groups 0..3: sizes around the segment and the maximum, with small objects around them.
        final List<List<byte[]>> script = List.of(
            List.of(bytes(random, 100), bytes(random, SEGMENT), bytes(random, 700)),
            List.of(bytes(random, 2 * SEGMENT), bytes(random, 10)),
            List.of(bytes(random, MAX_OBJECT - 1)),
            List.of(bytes(random, 3000), bytes(random, MAX_OBJECT)));
        final List<byte[]> after = List.of(bytes(random, 500), bytes(random, SEGMENT + 1));

        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received live = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, live).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        int expected = 0;
        for (int g = 0; g < script.size(); g++)
        {
            RelayEndToEndTest.publishGroups(track, script.subList(g, g + 1), g);
            expected += script.get(g).size();
            final int n = expected;
            RelayFixture.await(() -> settled(live, n), () -> n + " objects live, got " +
                live.normalObjects() + " (oversized " + ingest().oversized() + ", rejected " + ingest().rejected() +
                ")");
        }
        RelayEndToEndTest.assertDelivered(live, script, 0);

        // Group 4 starts with an object above the maximum: its subgroup is reset; group 5 flows.
        final SubgroupWriter oversized = track.openSubgroup(4, 0);
        oversized.write(0, Unpooled.wrappedBuffer(bytes(random, MAX_OBJECT + 1)));
        oversized.write(1, Unpooled.wrappedBuffer(bytes(random, 10)));
        oversized.endGroup(2);
        RelayFixture.await(() -> ingest().oversized() == 1, "the oversized object counted");
        RelayEndToEndTest.publishGroups(track, List.of(after), 5);
        RelayFixture.await(() -> settled(live, 8 + 2), () -> "group 5 live: " + ids(live));
        RelayEndToEndTest.assertDelivered(live, List.of(after), 5);
        assertThat(live.ids).as("nothing of the oversized group 4 is forwarded").noneMatch(id -> id[0] == 4);
        assertThat(ingest().oversized()).isEqualTo(1);
        assertThat(ingest().rejected()).isZero();

        // A late joiner from the cache: groups 0..3 and 5, the same bytes in the same order.
        final Received late = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.of(Filter.absoluteStart(new Location(0, 0))),
            late).get(5, TimeUnit.SECONDS);
        RelayFixture.await(() -> settled(late, 8 + 2), () -> "the late joiner's 10 cached objects, got " +
            ids(late));
        RelayEndToEndTest.assertDelivered(late, script, 0);
        RelayEndToEndTest.assertDelivered(late, List.of(after), 5);

        // FETCH of groups 0..3 from the cache.
        final Received fetched = Fetches.fetchAll(relay.connect(draft), new Location(0, 0), new Location(3, 0), 10);
        assertThat(fetched.normalObjects()).as(ids(fetched)).isEqualTo(8);
        RelayEndToEndTest.assertDelivered(fetched, script, 0);
        final List<Long> groups = new ArrayList<>();
        fetched.ids.forEach(id -> groups.add(id[0]));
        assertThat(groups).as("ascending groups").isSorted();
    }

    /** {@code n} normal objects received, each with its payload (the two lists are filled one after the other). */
    private static boolean settled(final Received r, final int n)
    {
        return r.normalObjects() == n && r.payloads.size() == r.ids.size();
    }

    private static String ids(final Received r)
    {
        final StringBuilder b = new StringBuilder();
        r.ids.forEach(id -> b.append(id[0]).append('/').append(id[1]).append(':').append(id[2]).append(' '));
        return b.toString();
    }

    private moq.relay.engine.TrackIngest ingest()
    {
        return relay.relay.ingestOf(new FullTrackName(NS, TRACK));
    }
}
