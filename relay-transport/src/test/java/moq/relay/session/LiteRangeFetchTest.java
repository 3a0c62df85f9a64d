package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.FetchListener;
import moq.relay.client.FetchResult;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d18.Fetch;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.TrackInfo;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MoQT FETCH over several groups of a moq-lite publisher's track that the relay's cache lacks (issue #17): the relay
 * asks the lite publisher for each missing group on a Fetch Stream of its own (moq-lite fetches one group per stream),
 * in the FETCH's order, a bounded number at once, and relays every group's objects in order on the draft-18
 * subscriber's fetch stream, merged with the groups its cache holds, then FIN; a group the publisher does not have is
 * a gap; a range over more groups than {@code moq.relay.fetch.upstream.max.groups} is answered for that many.
 */
class LiteRangeFetchTest
{
    private static final String PATH = "room/vod";
    private static final TrackNamespace NS = TrackNamespace.of("room", "vod");
    private static final String TRACK = "video";

    @TempDir
    static Path certDir;

    private LiteRelayFixture lite;

    @AfterEach
    void stop()
    {
        if (lite != null)
        {
            lite.close();
        }
    }

    private LiteTestPeer publisher(final Map<String, String> config) throws Exception
    {
        lite = new LiteRelayFixture(certDir, config);
        return lite.publisher(PATH, new TrackInfo(100, true, 0, 48_000));
    }

    /** Group {@code g}'s frames: three, the middle one spanning several QUIC packets. */
    private static List<byte[]> payloads(final long g)
    {
        final Random random = new Random(g * 31 + 7);
        final List<byte[]> out = new ArrayList<>();
        for (int o = 0; o < 3; o++)
        {
            final byte[] p = new byte[o == 1 ? 4000 : 1 + random.nextInt(200)];
            random.nextBytes(p);
            out.add(p);
        }
        return out;
    }

    /** A draft-18 FETCH's objects ("g/o" and payloads) and its end. */
    private static final class Fetched implements FetchListener
    {
        final List<String> ids = new CopyOnWriteArrayList<>();
        final List<byte[]> payloads = new CopyOnWriteArrayList<>();
        final CompletableFuture<Boolean> ended = new CompletableFuture<>();
        volatile String aborted;

        @Override
        public void onObject(final ReceivedObject o)
        {
            ids.add(o.groupId() + "/" + o.objectId());
            payloads.add(o.payloadBytes());
        }

        @Override
        public void onComplete()
        {
            ended.complete(true);
        }

        @Override
        public void onAborted(final String why)
        {
            aborted = why;
            ended.complete(false);
        }

        /** What the groups' frames would be, in the order {@code groups} lists them. */
        static List<String> ids(final long... groups)
        {
            final List<String> out = new ArrayList<>();
            for (final long g : groups)
            {
                for (int o = 0; o < 3; o++)
                {
                    out.add(g + "/" + o);
                }
            }
            return out;
        }

        static List<byte[]> payloads(final long... groups)
        {
            final List<byte[]> out = new ArrayList<>();
            for (final long g : groups)
            {
                out.addAll(LiteRangeFetchTest.payloads(g));
            }
            return out;
        }
    }

    private FetchResult fetch(final MoqClient client, final Location start, final Location end, final Fetched into)
        throws Exception
    {
        return client.fetch(NS, Bytes.utf8(TRACK), start, end, into).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRangeTheRelayNeverHadIsAskedOfTheLitePublisherGroupByGroupAndEndsWithFin() throws Exception
    {
        final LiteTestPeer publisher = publisher(Map.of());
        publisher.fetchAnswers = g -> g == 2 ? null : payloads(g); // it does not have group 2
        final MoqClient client = lite.relay.connect(Draft.DRAFT_18);

        final Fetched fetched = new Fetched();
        final FetchResult ok = fetch(client, new Location(0, 0), new Location(4, 0), fetched);
        assertThat(fetched.ended.get(5, TimeUnit.SECONDS)).as("FIN after the last group, not %s", fetched.aborted).isTrue();

        assertThat(ok.endLocation()).as("FETCH_OK: the range asked").isEqualTo(new Location(4, 0));
        assertThat(publisher.fetchesAsked).as("one lite FETCH per group, in order").containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(fetched.ids).as("every object of every group in order; group 2 a gap")
            .containsExactlyElementsOf(Fetched.ids(0, 1, 3, 4));
        assertThat(fetched.payloads).as("byte for byte").usingElementComparator(Arrays::compare)
            .containsExactlyElementsOf(Fetched.payloads(0, 1, 3, 4));

        // A range starting and ending inside groups: the first group from its start object, the last up to its end.
        final Fetched inner = new Fetched();
        fetch(client, new Location(1, 1), new Location(3, 2), inner);
        assertThat(inner.ended.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(inner.ids).containsExactly("1/1", "1/2", "3/0", "3/1");
        assertThat(publisher.connection.channel().isActive()).isTrue();
    }

    @Test
    void aDescendingRangeGoesNewestGroupFirst() throws Exception
    {
        final LiteTestPeer publisher = publisher(Map.of());
        publisher.fetchAnswers = g -> g == 1 ? null : payloads(g);
        try (RawPeer peer = new RawPeer(lite.relay, certDir, Draft.DRAFT_18, null))
        {
            final long id = peer.nextRequestId();
            peer.descendingFetches.add(id);
            peer.request(Fetch.standalone(id, NS, Bytes.utf8(TRACK), new Location(0, 0), new Location(3, 0),
                MessageParameters.of(new Parameter.Order(GroupOrder.DESCENDING))));
            RelayFixture.await(() -> peer.fetched.contains(id + ":FIN") || peer.fetched.contains(id + ":RESET"),
                "the fetch stream's end");
            assertThat(peer.fetched).as("groups 3, 2, 0 (1 a gap), objects ascending within each, FIN")
                .containsExactly(id + ":3/0", id + ":3/1", id + ":3/2", id + ":2/0", id + ":2/1", id + ":2/2",
                    id + ":0/0", id + ":0/1", id + ":0/2", id + ":FIN");
            assertThat(publisher.fetchesAsked).as("asked newest first").containsExactly(3L, 2L, 1L, 0L);
        }
    }

    @Test
    void aPartlyCachedRangeAsksOnlyTheEvictedGroupsAndMergesThemWithTheCache() throws Exception
    {
        final LiteTestPeer publisher = publisher(Map.of(RelayConfiguration.TRACK_CACHE_GROUPS_PROP_NAME, "2"));
        publisher.fetchAnswers = LiteRangeFetchTest::payloads;
        // A live draft-18 subscriber makes the relay subscribe to the lite publisher: groups 0..5 pass through it,
        // and its cache keeps the last two.
        final MoqClient client = lite.relay.connect(Draft.DRAFT_18);
        final List<String> live = new CopyOnWriteArrayList<>();
        final CompletableFuture<?> subscribed = client.subscribe(NS, Bytes.utf8(TRACK), SubscribeOptions.LATEST,
            new SubscriptionListener()
            {
                @Override
                public void onObject(final ReceivedObject o)
                {
                    live.add(o.groupId() + "/" + o.objectId());
                }
            });
        final LiteTestPeer.Control sub = LiteRelayFixture.relayStream(publisher, Subscribe.class);
        subscribed.get(5, TimeUnit.SECONDS);
        sub.write(new moq.relay.wire.lite.SubscribeStart(0));
        for (long g = 0; g < 6; g++)
        {
            publisher.writeGroup(sub.first(Subscribe.class).id(), g, payloads(g), true, 1000 * g);
        }
        RelayFixture.await(() -> live.size() == 18, () -> "the six groups live: " + live);

        final Fetched fetched = new Fetched();
        final FetchResult ok = fetch(client, new Location(1, 0), new Location(5, 0), fetched);
        assertThat(fetched.ended.get(5, TimeUnit.SECONDS)).as("FIN, not %s", fetched.aborted).isTrue();
        assertThat(publisher.fetchesAsked).as("only the groups the cache evicted").containsExactly(1L, 2L, 3L);
        assertThat(fetched.ids).as("evicted groups from the publisher, then the cached ones, in order")
            .containsExactlyElementsOf(Fetched.ids(1, 2, 3, 4, 5));
        assertThat(fetched.payloads).usingElementComparator(Arrays::compare)
            .containsExactlyElementsOf(Fetched.payloads(1, 2, 3, 4, 5));
        assertThat(ok.endLocation()).as("clipped to the largest object, as the draft's FETCH_OK is")
            .isEqualTo(new Location(5, 3));
    }

    @Test
    void aRangeOverMoreGroupsThanTheCapIsAnsweredForTheCapAndAskedAFewAtATime() throws Exception
    {
        final LiteTestPeer publisher = publisher(Map.of(
            RelayConfiguration.FETCH_UPSTREAM_MAX_GROUPS_PROP_NAME, "6"));
        final MoqClient client = lite.relay.connect(Draft.DRAFT_18);

        // The publisher holds its answers back: the relay has asked a bounded number of groups meanwhile.
        final Fetched fetched = new Fetched();
        final CompletableFuture<FetchResult> ok = client.fetch(NS, Bytes.utf8(TRACK), new Location(0, 0),
            new Location(1_000_000, 0), fetched);
        RelayFixture.await(() -> publisher.fetchesAsked.size() == 4, "four groups asked");
        Thread.sleep(200);
        assertThat(publisher.fetchesAsked).as("at most four in flight").containsExactly(0L, 1L, 2L, 3L);

        // The four asked so far are answered by hand; the later ones (asked once the first is relayed) at once.
        final List<LiteTestPeer.Control> asked = publisher.relayStreams.stream()
            .filter(c -> c.first(moq.relay.wire.lite.Fetch.class) != null).toList();
        publisher.fetchAnswers = LiteRangeFetchTest::payloads;
        for (final LiteTestPeer.Control c : asked)
        {
            c.writeFrames(payloads(c.first(moq.relay.wire.lite.Fetch.class).group()), List.of(0L, 1L, 2L), true);
        }
        assertThat(fetched.ended.get(5, TimeUnit.SECONDS)).as("FIN, not %s", fetched.aborted).isTrue();
        assertThat(ok.get(5, TimeUnit.SECONDS).endLocation()).as("FETCH_OK ends with the last group answered")
            .isEqualTo(new Location(5, 0));
        assertThat(publisher.fetchesAsked).as("six groups of 10^6").containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(fetched.ids).containsExactlyElementsOf(Fetched.ids(0, 1, 2, 3, 4, 5));

        // Descending: the newest six, the older rest an End of Unknown Range.
        publisher.fetchesAsked.clear();
        try (RawPeer peer = new RawPeer(lite.relay, certDir, Draft.DRAFT_18, null))
        {
            final long id = peer.nextRequestId();
            peer.descendingFetches.add(id);
            peer.request(Fetch.standalone(id, NS, Bytes.utf8(TRACK), new Location(0, 0), new Location(99, 0),
                MessageParameters.of(new Parameter.Order(GroupOrder.DESCENDING))));
            RelayFixture.await(() -> peer.fetched.contains(id + ":FIN") || peer.fetched.contains(id + ":RESET"),
                "the descending fetch stream's end");
            assertThat(publisher.fetchesAsked).containsExactly(99L, 98L, 97L, 96L, 95L, 94L);
            assertThat(peer.fetched).hasSize(6 * 3 + 1).startsWith(id + ":99/0").endsWith(id + ":94/2", id + ":FIN");
            assertThat(peer.fetchRanges).containsExactly(id + ":unknown:0/0");
        }
    }

    @Test
    void theRequestersCancelResetsEveryOpenFetchStream() throws Exception
    {
        final LiteTestPeer publisher = publisher(Map.of());
        final MoqClient client = lite.relay.connect(Draft.DRAFT_18);
        final Fetched fetched = new Fetched();
        final CompletableFuture<FetchResult> ok = client.fetch(NS, Bytes.utf8(TRACK), new Location(0, 0),
            new Location(9, 0), fetched);
        RelayFixture.await(() -> publisher.fetchesAsked.size() == 4, "four groups asked");
        final List<LiteTestPeer.Control> asked = publisher.relayStreams.stream()
            .filter(c -> c.first(moq.relay.wire.lite.Fetch.class) != null).toList();
        // Group 0 answers (FETCH_OK goes), the rest is still coming when the requester cancels.
        asked.stream().filter(c -> c.first(moq.relay.wire.lite.Fetch.class).group() == 0).findFirst().orElseThrow()
            .writeFrames(payloads(0), List.of(0L, 1L, 2L), false);
        client.cancelFetch(ok.get(5, TimeUnit.SECONDS).requestId());
        for (final LiteTestPeer.Control c : asked)
        {
            c.ended.get(5, TimeUnit.SECONDS);
            assertThat(c.error).as("group %s's Fetch Stream reset", c.first(moq.relay.wire.lite.Fetch.class).group())
                .isInstanceOf(io.netty.handler.codec.quic.QuicStreamResetException.class);
        }
        Thread.sleep(200);
        assertThat(publisher.fetchesAsked).as("nothing asked after the cancel").hasSize(4);
        assertThat(publisher.connection.channel().isActive()).isTrue();
    }

    /**
     * A requester slower than the publisher is paced group by group: the relay waits with the next group while what it
     * queued for the requester is past half the fetch's bound, instead of resetting the fetch at the bound. Here six
     * groups of 150 KB (900 KB) pass a bound of 512 KB to a requester that reads nothing for a while.
     */
    @Test
    void aSlowRequesterIsPacedGroupByGroupNotResetAtTheBound() throws Exception
    {
        final LiteTestPeer publisher = publisher(Map.of(RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k"));
        publisher.fetchAnswers = g ->
        {
            final List<byte[]> frames = new ArrayList<>();
            for (int o = 0; o < 3; o++)
            {
                final byte[] p = new byte[50_000];
                Arrays.fill(p, (byte)(g * 3 + o));
                frames.add(p);
            }
            return frames;
        };
        try (RawPeer peer = new RawPeer(lite.relay, certDir, Draft.DRAFT_18, null))
        {
            peer.holdDataStreams = true;
            final long id = peer.nextRequestId();
            peer.request(Fetch.standalone(id, NS, Bytes.utf8(TRACK), new Location(0, 0), new Location(5, 0),
                MessageParameters.EMPTY));
            RelayFixture.await(() -> publisher.fetchesAsked.size() >= 4, "the first groups asked");
            Thread.sleep(500); // the relay relays what it may meanwhile
            peer.readDataStreams();
            RelayFixture.await(() -> peer.fetched.contains(id + ":FIN") || peer.fetched.contains(id + ":RESET"),
                "the fetch stream's end");
            assertThat(peer.fetched).as("all six groups, then FIN, not reset").hasSize(6 * 3 + 1)
                .endsWith(id + ":5/2", id + ":FIN");
        }
    }
}
