package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import moq.relay.client.FetchListener;
import moq.relay.client.FetchResult;
import moq.relay.client.FetchSource;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.data.ObjectStatus;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Upstream FETCH over real QUIC: the relay caches only the last 2 groups; a late joiner's FETCH of older groups goes to
 * the publisher (a client that serves its past objects), whose fetch stream the relay relays byte-exact and in order,
 * for every pair of publisher and requester drafts (14, 18, 20). A joining FETCH reaching before the cache goes
 * upstream the same way.
 */
class UpstreamFetchTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.TRACK_CACHE_GROUPS_PROP_NAME, "2"));

    /** A publisher's history, served to FETCH: the objects of every group it published. */
    static class History implements FetchSource
    {
        final List<List<byte[]>> script;
        final AtomicInteger asked = new AtomicInteger();

        History(final List<List<byte[]>> script)
        {
            this.script = script;
        }

        @Override
        public List<Item> items(final moq.relay.wire.TrackNamespace namespace, final moq.relay.wire.Bytes name,
            final Location start, final Location end)
        {
            if (!namespace.equals(NS) || !name.equals(TRACK))
            {
                return null;
            }
            asked.incrementAndGet();
            final List<Item> out = new ArrayList<>();
            for (int g = 0; g < script.size(); g++)
            {
                for (int o = 0; o < script.get(g).size(); o++)
                {
                    final Location l = new Location(g, o);
                    final boolean beforeEnd = end.object() == 0 ? g <= end.group() :
                        l.compareTo(new Location(end.group(), end.object())) < 0;
                    if (l.compareTo(start) >= 0 && beforeEnd)
                    {
                        out.add(Item.object(g, 0, o, script.get(g).get(o)));
                    }
                }
            }
            return out;
        }
    }

    /** A fetch's normal objects ("g/o") and payloads, and its end. */
    static final class Fetched implements FetchListener
    {
        final List<String> ids = new CopyOnWriteArrayList<>();
        final List<byte[]> payloads = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> complete = new CompletableFuture<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() == ObjectStatus.NORMAL)
            {
                ids.add(o.groupId() + "/" + o.objectId());
                payloads.add(o.payloadBytes());
            }
        }

        @Override
        public void onComplete()
        {
            complete.complete(null);
        }

        @Override
        public void onAborted(final String why)
        {
            complete.completeExceptionally(new AssertionError("fetch aborted: " + why));
        }

        void assertGroups(final List<List<byte[]>> script, final int from, final int to)
        {
            final List<String> want = new ArrayList<>();
            final List<byte[]> wantPayloads = new ArrayList<>();
            for (int g = from; g <= to; g++)
            {
                for (int o = 0; o < script.get(g).size(); o++)
                {
                    want.add(g + "/" + o);
                    wantPayloads.add(script.get(g).get(o));
                }
            }
            assertThat(ids).containsExactlyElementsOf(want);
            for (int i = 0; i < want.size(); i++)
            {
                assertThat(payloads.get(i)).as("payload of " + want.get(i)).isEqualTo(wantPayloads.get(i));
            }
        }
    }

    @ParameterizedTest(name = "publisher {0}, requester {1}")
    @CsvSource({"DRAFT_18, DRAFT_18", "DRAFT_18, DRAFT_14", "DRAFT_18, DRAFT_20", "DRAFT_20, DRAFT_20",
        "DRAFT_20, DRAFT_14", "DRAFT_20, DRAFT_18", "DRAFT_14, DRAFT_14", "DRAFT_14, DRAFT_18", "DRAFT_14, DRAFT_20"})
    void aLateJoinersFetchBeyondTheCacheIsAnsweredByThePublisher(final Draft publisherDraft, final Draft draft)
        throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(6, 4, 11);
        final History history = new History(script);
        final MoqClient publisher = relay.connect(publisherDraft);
        publisher.serveFetches(history);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received early = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, early).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, script, 0);
        RelayFixture.await(() -> early.normalObjects() == 24, "the early subscriber's 6 groups");

        // The relay holds groups 4 and 5: groups 1..5 (end {5, 0}: the whole of group 5) need the publisher.
        final MoqClient joiner = relay.connect(draft);
        final Fetched fetched = new Fetched();
        final FetchResult ok = joiner.fetch(NS, TRACK, new Location(1, 0), new Location(5, 0), fetched)
            .get(5, TimeUnit.SECONDS);
        fetched.complete.get(10, TimeUnit.SECONDS);
        assertThat(history.asked.get()).as("one upstream FETCH").isEqualTo(1);
        assertThat(ok.endLocation()).as("the publisher's end, relayed").isEqualTo(new Location(5, 4));
        fetched.assertGroups(script, 1, 5);

        // Within the cache: the relay answers alone.
        final Fetched cached = new Fetched();
        joiner.fetch(NS, TRACK, new Location(4, 1), new Location(5, 0), cached).get(5, TimeUnit.SECONDS);
        cached.complete.get(10, TimeUnit.SECONDS);
        assertThat(history.asked.get()).isEqualTo(1);
        assertThat(cached.ids).startsWith("4/1", "4/2", "4/3", "5/0");

        if (!draft.atLeast(20)) // draft 20 has no joining FETCH
        {
            final Received live = new Received();
            final Subscription s = joiner.subscribe(NS, TRACK, SubscribeOptions.LATEST, live).get(5, TimeUnit.SECONDS);
            final Fetched joined = new Fetched();
            joiner.joiningFetch(s, 3, joined).get(5, TimeUnit.SECONDS);
            joined.complete.get(10, TimeUnit.SECONDS);
            assertThat(history.asked.get()).as("the joining FETCH from group 2 went upstream").isEqualTo(2);
            joined.assertGroups(script, 2, 5);
        }
    }

    /**
     * The relay keeps what it fetched upstream (docs/engine.md "Upstream FETCH"): a second late joiner's FETCH of the
     * same old range is answered locally, byte-exact, with no second upstream FETCH.
     */
    @ParameterizedTest(name = "publisher {0}, requesters {1} and {2}")
    @CsvSource({"DRAFT_20, DRAFT_20, DRAFT_14", "DRAFT_18, DRAFT_18, DRAFT_20", "DRAFT_14, DRAFT_14, DRAFT_18"})
    void aSecondLateJoinersFetchOfTheSameOldRangeIsServedLocally(final Draft publisherDraft, final Draft firstDraft,
        final Draft secondDraft) throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(6, 4, 11);
        final History history = new History(script);
        final MoqClient publisher = relay.connect(publisherDraft);
        publisher.serveFetches(history);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received early = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, early).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, script, 0);
        RelayFixture.await(() -> early.normalObjects() == 24, "the early subscriber's 6 groups");

        final Fetched first = new Fetched();
        final FetchResult firstOk = relay.connect(firstDraft).fetch(NS, TRACK, new Location(1, 0), new Location(3, 0),
            first).get(5, TimeUnit.SECONDS);
        first.complete.get(10, TimeUnit.SECONDS);
        first.assertGroups(script, 1, 3);

        final Fetched second = new Fetched();
        final FetchResult ok = relay.connect(secondDraft).fetch(NS, TRACK, new Location(1, 0), new Location(3, 0),
            second).get(5, TimeUnit.SECONDS);
        second.complete.get(10, TimeUnit.SECONDS);
        assertThat(history.asked.get()).as("the publisher saw one upstream FETCH").isEqualTo(1);
        second.assertGroups(script, 1, 3);
        assertThat(ok.endLocation()).as("the publisher's FETCH_OK end, kept").isEqualTo(firstOk.endLocation());
        assertThat(relay.relay.fetchCacheHits()).isEqualTo(1);
    }

    @ParameterizedTest(name = "publisher {0}, requester {1}")
    @CsvSource({"DRAFT_18, DRAFT_20", "DRAFT_20, DRAFT_14", "DRAFT_14, DRAFT_18"})
    void thePublishersErrorIsTheRequesters(final Draft publisherDraft, final Draft draft) throws Exception
    {
        final MoqClient publisher = relay.connect(publisherDraft);
        final History history = new History(List.of());
        publisher.serveFetches(history);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final MoqClient requester = relay.connect(draft);
        // A track of the publisher's namespace the relay has no state of: asked upstream, refused DOES_NOT_EXIST.
        final java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class, () -> requester.fetch(NS, moq.relay.wire.Bytes.utf8("other"),
                new Location(0, 0), new Location(1, 0), new Fetched()).get(5, TimeUnit.SECONDS));
        assertThat(refused.getCause()).isInstanceOf(moq.relay.client.RequestRejectedException.class);
        final long code = ((moq.relay.client.RequestRejectedException)refused.getCause()).errorCode();
        assertThat(code).as("DOES_NOT_EXIST in the requester's draft").isEqualTo(draft.atLeast(18) ? 0x10L : 0x4L);
    }
}
