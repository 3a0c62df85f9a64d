package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.FetchListener;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.FillStreamTest.Live;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.session.UpstreamFetchTest.History;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.d20.LocationFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FILL_TIMEOUT above 0 (draft-21 §9.20.6) over real QUIC: a fill beyond the cache waits for the publisher's answer to
 * the relay's upstream FETCH at most that long; then what has not arrived is an End of Timed-Out Range and the rest of
 * the range comes from the cache, and the fill stream ends. A publisher that answers in time fills everything.
 */
class FillTimeoutTest
{
    private static final long SLOW_ANSWER_MS = 3000;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.TRACK_CACHE_GROUPS_PROP_NAME, "2"));

    /** A publisher's history that takes {@link #SLOW_ANSWER_MS} to answer a FETCH (its event loop is busy). */
    static final class SlowHistory extends History
    {
        /** FETCHes received (counted before the slow answer, unlike {@code asked}). */
        final java.util.concurrent.atomic.AtomicInteger requested = new java.util.concurrent.atomic.AtomicInteger();

        SlowHistory(final List<List<byte[]>> script)
        {
            super(script);
        }

        @Override
        public List<Item> items(final TrackNamespace namespace, final Bytes name, final Location start,
            final Location end)
        {
            requested.incrementAndGet();
            try
            {
                Thread.sleep(SLOW_ANSWER_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return super.items(namespace, name, start, end);
        }
    }

    /** A fill stream's objects ("g/o") and markers ("timed-out..g/o"), in arrival order. */
    static final class Events implements FetchListener
    {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> complete = new CompletableFuture<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() == ObjectStatus.NORMAL)
            {
                events.add(o.groupId() + "/" + o.objectId());
            }
        }

        @Override
        public void onEndOfTimedOutRange(final long groupId, final long objectId)
        {
            events.add("timed-out.." + groupId + "/" + Long.toUnsignedString(objectId));
        }

        @Override
        public void onComplete()
        {
            complete.complete(null);
        }

        @Override
        public void onAborted(final String why)
        {
            complete.completeExceptionally(new AssertionError("fill aborted: " + why));
        }
    }

    private TrackPublisher publishSixGroups(final History history, final List<List<byte[]>> script) throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_20);
        publisher.serveFetches(history);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received early = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, early).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, script, 0);
        RelayFixture.await(() -> early.normalObjects() == 24, "the early subscriber's 6 groups");
        return track;
    }

    @Test
    void aPublisherSlowerThanTheFillTimeoutLeavesATimedOutRangeAndTheCacheServesTheRest() throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(6, 4, 31);
        final SlowHistory history = new SlowHistory(script);
        publishSixGroups(history, script);

        // The whole track up to the Largest Object (5/3); the relay holds only groups 4 and 5.
        final Events fill = new Events();
        final long t0 = System.nanoTime();
        relay.connect(Draft.DRAFT_20).subscribeWithFill(NS, TRACK, SubscribeOptions.LATEST, new Live(),
            LocationFilter.NONE, 300, fill).get(5, TimeUnit.SECONDS);
        fill.complete.get(SLOW_ANSWER_MS - 1000, TimeUnit.MILLISECONDS);
        final long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(history.requested.get()).as("the relay asked the publisher").isEqualTo(1);
        assertThat(tookMs).as("the fill waited about FILL_TIMEOUT, not for the publisher").isLessThan(SLOW_ANSWER_MS);
        assertThat(fill.events.get(0)).as("groups 0..3 never arrived: timed out").startsWith("timed-out..3/");
        assertThat(fill.events.subList(1, fill.events.size())).containsExactly("4/0", "4/1", "4/2", "4/3", "5/0",
            "5/1", "5/2", "5/3");
    }

    @Test
    void aPublisherFasterThanTheFillTimeoutFillsEverything() throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(6, 4, 32);
        final History history = new History(script);
        publishSixGroups(history, script);

        final Events fill = new Events();
        relay.connect(Draft.DRAFT_20).subscribeWithFill(NS, TRACK, SubscribeOptions.LATEST, new Live(),
            LocationFilter.NONE, 5000, fill).get(5, TimeUnit.SECONDS);
        fill.complete.get(10, TimeUnit.SECONDS);
        assertThat(history.asked.get()).isEqualTo(1);
        assertThat(fill.events).hasSize(24).doesNotContain("timed-out");
        assertThat(fill.events.get(0)).isEqualTo("0/0");
    }
}
