package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.client.FetchSource;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.TrackPublisher;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.session.UpstreamFetchTest.Fetched;
import moq.relay.session.UpstreamFetchTest.History;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.LocationFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Draft 20's fill (FILL_PARAMETERS, draft-21 §3.4) over real QUIC: a draft-20 subscriber's SUBSCRIBE with a fill gets,
 * after SUBSCRIBE_OK, a fill fetch stream carrying its SUBSCRIBE's Request ID, served from the cache (the relay keeps
 * the last 2 groups) or, beyond it, from the publisher by upstream FETCH; the fill ends at the Largest Object of
 * SUBSCRIBE_OK where the live objects begin; cancelling the subscription resets the fill stream.
 */
class FillStreamTest
{
    @TempDir
    static Path certDir;

    private TwoGroupCacheFixture fixture;
    private RelayFixture relay;

    @BeforeEach
    void start()
    {
        fixture = new TwoGroupCacheFixture(certDir);
        relay = fixture.relay;
    }

    @AfterEach
    void stop()
    {
        fixture.close();
    }

    /** A subscriber that also keeps PUBLISH_DONE's Stream Count. */
    static final class Live extends CompletableFuture<Long> implements moq.relay.client.SubscriptionListener
    {
        final Received received = new Received();

        @Override
        public void onObject(final ReceivedObject o)
        {
            received.onObject(o);
        }

        @Override
        public void onPublishDone(final long statusCode, final long streamCount, final String reason)
        {
            complete(streamCount);
        }

        List<String> sortedIds()
        {
            final List<String> out = new ArrayList<>();
            received.ids.stream().filter(id -> id[2] == 0)
                .sorted((a, b) -> new Location(a[0], a[1]).compareTo(new Location(b[0], b[1])))
                .forEach(id -> out.add(id[0] + "/" + id[1]));
            return out;
        }
    }

    @ParameterizedTest(name = "publisher {0}")
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_20", "DRAFT_14"})
    void aFillFromTheCacheIsByteExactAndTheLiveObjectsFollowWithoutGapOrDuplicate(final Draft publisherDraft)
        throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(8, 4, 21);
        final History history = new History(script);
        final TwoGroupCacheFixture.Published published = fixture.publish(publisherDraft, history,
            script.subList(0, 6));
        final TrackPublisher track = published.track();
        // Group 6 half published: the fill must stop at 6/1, the live subscription start at 6/2.
        final SubgroupWriter six = track.openSubgroup(6, 0);
        six.write(0, Unpooled.wrappedBuffer(script.get(6).get(0)));
        six.write(1, Unpooled.wrappedBuffer(script.get(6).get(1)));
        published.awaitEarly(26);

        final MoqClient joiner = relay.connect(Draft.DRAFT_20);
        final Live live = new Live();
        final Fetched fill = new Fetched();
        // StartGroup 2: "2 will start at 1 group prior to the current group" (§9.20.10): groups 5 and 6 so far.
        final Subscription s = joiner.subscribeWithFill(NS, TRACK, SubscribeOptions.LATEST, live,
            LocationFilter.relativeStartGroup(2), fill).get(5, TimeUnit.SECONDS);
        assertThat(s.largest()).isEqualTo(new Location(6, 1));
        fill.complete.get(10, TimeUnit.SECONDS);
        assertThat(fill.ids).containsExactly("5/0", "5/1", "5/2", "5/3", "6/0", "6/1");
        for (int i = 0; i < 4; i++)
        {
            assertThat(fill.payloads.get(i)).isEqualTo(script.get(5).get(i));
        }
        assertThat(fill.payloads.get(4)).isEqualTo(script.get(6).get(0));
        assertThat(fill.payloads.get(5)).isEqualTo(script.get(6).get(1));
        assertThat(history.asked.get()).as("served from the cache alone").isZero();

        six.write(2, Unpooled.wrappedBuffer(script.get(6).get(2)));
        six.write(3, Unpooled.wrappedBuffer(script.get(6).get(3)));
        six.endGroup(4);
        RelayEndToEndTest.publishGroups(track, script.subList(7, 8), 7);
        RelayFixture.await(() -> live.received.normalObjects() == 6, "the live objects 6/2 .. 7/3");
        Thread.sleep(200); // a duplicate would arrive meanwhile
        assertThat(live.sortedIds()).containsExactly("6/2", "6/3", "7/0", "7/1", "7/2", "7/3");

        track.finish(0x2, "done"); // TRACK_ENDED
        // Two subgroup streams (group 6 from 6/2, group 7) and the fill stream (draft-21 §9.9).
        assertThat(live.get(5, TimeUnit.SECONDS)).as("PUBLISH_DONE's Stream Count").isEqualTo(3L);
    }

    @ParameterizedTest(name = "publisher {0}")
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_20", "DRAFT_14"})
    void aFillBeyondTheCacheIsAnsweredByThePublisher(final Draft publisherDraft) throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(7, 4, 22);
        final History history = new History(script);
        final TrackPublisher track = fixture.publish(publisherDraft, history, script.subList(0, 6)).track();

        // A zero-length LOCATION_FILTER: the whole track up to the Largest Object; the relay holds only groups 4, 5.
        final MoqClient joiner = relay.connect(Draft.DRAFT_20);
        final Live live = new Live();
        final Fetched fill = new Fetched();
        joiner.subscribeWithFill(NS, TRACK, SubscribeOptions.LATEST, live, LocationFilter.NONE, fill)
            .get(5, TimeUnit.SECONDS);
        fill.complete.get(10, TimeUnit.SECONDS);
        assertThat(history.asked.get()).as("one upstream FETCH").isEqualTo(1);
        fill.assertGroups(script, 0, 5);

        RelayEndToEndTest.publishGroups(track, script.subList(6, 7), 6);
        RelayFixture.await(() -> live.received.normalObjects() == 4, "group 6, live");
        assertThat(live.sortedIds()).containsExactly("6/0", "6/1", "6/2", "6/3");
    }

    @Test
    void aSubscriptionWithoutAFillGetsNoFillStreamAndAnEmptyFillRangeOpensNone() throws Exception
    {
        final TrackPublisher track = fixture.publish(Draft.DRAFT_20, null, RelayEndToEndTest.script(2, 2, 23))
            .track();

        // StartGroup 0 is the Next Group: after the Largest Object, so no fill stream (§3.4).
        final MoqClient joiner = relay.connect(Draft.DRAFT_20);
        final Fetched fill = new Fetched();
        final Live live = new Live();
        joiner.subscribeWithFill(NS, TRACK, SubscribeOptions.LATEST, live, LocationFilter.relativeStartGroup(0),
            fill).get(5, TimeUnit.SECONDS);
        track.finish(0x2, "done");
        assertThat(live.get(5, TimeUnit.SECONDS)).as("no stream at all").isZero();
        assertThat(fill.ids).isEmpty();
        assertThat(fill.complete).isNotDone();
    }

    @Test
    void cancellingTheSubscriptionResetsItsFillStream() throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(6, 4, 24);
        final History history = new History(script);
        final CountDownLatch asked = new CountDownLatch(1);
        final CountDownLatch answer = new CountDownLatch(1);
        // The publisher holds the upstream FETCH (blocking its own loop, in this test only) until released.
        fixture.publish(Draft.DRAFT_20, (final TrackNamespace ns, final Bytes name, final Location start,
            final Location end) ->
        {
            asked.countDown();
            try
            {
                answer.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            return history.items(ns, name, start, end);
        }, script);

        final MoqClient joiner = relay.connect(Draft.DRAFT_20);
        final Fetched fill = new Fetched();
        final Subscription s = joiner.subscribeWithFill(NS, TRACK, SubscribeOptions.LATEST, new Received(),
            LocationFilter.NONE, fill).get(5, TimeUnit.SECONDS);
        assertThat(asked.await(5, TimeUnit.SECONDS)).as("the fill went upstream").isTrue();
        Thread.sleep(300); // the fill stream's FETCH_HEADER reaches the subscriber
        s.unsubscribe();
        final ExecutionException aborted = assertThrows(ExecutionException.class,
            () -> fill.complete.get(5, TimeUnit.SECONDS));
        assertThat(aborted.getCause()).hasMessageContaining("closed before FIN");
        answer.countDown();
        assertThat(fill.ids).isEmpty();
    }

    /** A fill's objects (a {@link Fetched}) and its range markers, "timed-out g/o" or "unknown g/o". */
    static final class Marked implements moq.relay.client.FetchListener
    {
        final Fetched objects = new Fetched();
        final List<String> markers = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            objects.onObject(o);
        }

        @Override
        public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
        {
            markers.add((unknown ? "unknown " : "non-existent ") + groupId + "/" + objectId);
        }

        @Override
        public void onEndOfTimedOutRange(final long groupId, final long objectId)
        {
            markers.add("timed-out " + groupId + "/" + objectId);
        }

        @Override
        public void onComplete()
        {
            objects.onComplete();
        }

        @Override
        public void onAborted(final String why)
        {
            objects.onAborted(why);
        }
    }

    @Test
    void aFillTimeoutOfZeroIsServedFromTheCacheAloneWithTheRestTimedOut() throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(6, 4, 25);
        final History history = new History(script);
        fixture.publish(Draft.DRAFT_18, history, script);

        // FILL_TIMEOUT 0 (draft-21 §9.20.6): "MUST NOT wait for upstream delivery and MUST report any unavailable
        // Objects as Timed-Out gaps". The relay holds groups 4 and 5.
        final MoqClient joiner = relay.connect(Draft.DRAFT_20);
        final Marked fill = new Marked();
        joiner.subscribeWithFill(NS, TRACK, SubscribeOptions.LATEST, new Received(), LocationFilter.NONE, 0, fill)
            .get(5, TimeUnit.SECONDS);
        fill.objects.complete.get(10, TimeUnit.SECONDS);
        assertThat(history.asked.get()).as("not asked upstream").isZero();
        assertThat(fill.markers).hasSize(1);
        assertThat(fill.markers.get(0)).startsWith("timed-out ");
        fill.objects.assertGroups(script, 4, 5);
    }
}
