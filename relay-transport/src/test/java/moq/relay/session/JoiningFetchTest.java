package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.FetchListener;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.TrackPublisher;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectStatus;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A joining FETCH (relative and absolute) through the relay: the groups before the subscription's start come from the relay's cache,
 * and together with the subscription they cover the track contiguously, without overlap.
 */
class JoiningFetchTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    @ParameterizedTest(name = "{0}, absolute {1}")
    @CsvSource({"DRAFT_18, false", "DRAFT_18, true", "DRAFT_14, false", "DRAFT_14, true"})
    void joiningFetchServesCachedGroupsContiguousWithTheSubscription(final Draft draft, final boolean absolute)
        throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        // An early subscriber makes the relay pull the track, so groups 0..4 are in its cache.
        final Received early = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, early).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final List<List<byte[]>> script = RelayEndToEndTest.script(6, 4, 7);
        RelayEndToEndTest.publishGroups(track, script.subList(0, 5), 0);
        RelayFixture.await(() -> early.normalObjects() == 20, "the early subscriber's 5 groups");

        final MoqClient joiner = relay.connect(draft);
        final Received live = new Received();
        final Subscription subscription = joiner.subscribe(NS, TRACK, SubscribeOptions.LATEST, live)
            .get(5, TimeUnit.SECONDS);
        assertThat(subscription.largest()).as("the subscription starts after group 4").isNotNull();
        assertThat(subscription.largest().group()).isEqualTo(4);
        final List<long[]> fetched = new CopyOnWriteArrayList<>();
        final List<byte[]> fetchedPayloads = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> complete = new CompletableFuture<>();
        // Relative: 2 groups back from the subscription's largest (group 4); absolute: from group 2. Both: 2..4.
        final FetchListener listener = new FetchListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                if (o.status() == ObjectStatus.NORMAL)
                {
                    fetched.add(new long[] {o.groupId(), o.objectId()});
                    fetchedPayloads.add(o.payloadBytes());
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
        };
        (absolute ? joiner.absoluteJoiningFetch(subscription, 2, listener)
            : joiner.joiningFetch(subscription, 2, listener)).get(5, TimeUnit.SECONDS);
        complete.get(5, TimeUnit.SECONDS);

        RelayEndToEndTest.publishGroups(track, script.subList(5, 6), 5);
        RelayFixture.await(() -> live.normalObjects() == 4, "the live group 5");

        final List<long[]> expected = new ArrayList<>();
        final List<byte[]> expectedPayloads = new ArrayList<>();
        for (int g = 2; g <= 4; g++)
        {
            for (int o = 0; o < 4; o++)
            {
                expected.add(new long[] {g, o});
                expectedPayloads.add(script.get(g).get(o));
            }
        }
        assertThat(fetched).as("the fetch serves groups 2..4 from the cache, in order")
            .usingElementComparator(JoiningFetchTest::compare).containsExactlyElementsOf(expected);
        for (int i = 0; i < expectedPayloads.size(); i++)
        {
            assertThat(fetchedPayloads.get(i)).as("fetched payload %d", i).isEqualTo(expectedPayloads.get(i));
        }
        final List<long[]> subscribed = new ArrayList<>();
        for (final long[] id : live.ids)
        {
            if (id[2] == ObjectStatus.NORMAL)
            {
                subscribed.add(new long[] {id[0], id[1]});
            }
        }
        assertThat(subscribed).as("the subscription carries group 5 only: no overlap with the fetch")
            .usingElementComparator(JoiningFetchTest::compare)
            .containsExactly(new long[] {5, 0}, new long[] {5, 1}, new long[] {5, 2}, new long[] {5, 3});
        RelayEndToEndTest.assertDelivered(live, script.subList(5, 6), 5);
    }

    private static int compare(final long[] a, final long[] b)
    {
        return a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]);
    }
}
