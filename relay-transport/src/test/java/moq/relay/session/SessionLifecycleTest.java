package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.ServedDrafts;
import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.TrackPublisher;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Joining late, subscribing early, and either side leaving, through a real relay, per draft. */
class SessionLifecycleTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    private TrackPublisher publisher(final Draft draft) throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        return publisher.track(NS, TRACK, 100);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void lateJoinerGetsTheCurrentGroupFromTheCache(final Draft draft) throws Exception
    {
        final TrackPublisher track = publisher(draft);
        final Received first = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, first).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final List<List<byte[]>> script = RelayEndToEndTest.script(2, 10, 7);
        RelayEndToEndTest.publishGroups(track, script.subList(0, 1), 0);
        final SubgroupWriter current = track.openSubgroup(1, 0);
        for (int o = 0; o < 5; o++)
        {
            current.write(o, Unpooled.wrappedBuffer(script.get(1).get(o)));
        }
        RelayFixture.await(() -> first.normalObjects() == 15, "the first subscriber's 15 objects");

        final Received late = new Received();
        final Subscription s = relay.connect(draft).subscribe(NS, TRACK,
            SubscribeOptions.of(Filter.absoluteStart(new Location(1, 0))), late).get(5, TimeUnit.SECONDS);
        assertThat(s.largest()).isEqualTo(new Location(1, 4));
        for (int o = 5; o < 10; o++)
        {
            current.write(o, Unpooled.wrappedBuffer(script.get(1).get(o)));
        }
        current.endGroup(10);
        RelayFixture.await(() -> late.normalObjects() == 10, "the late joiner's 10 objects of group 1");
        RelayEndToEndTest.assertDelivered(late, script.subList(1, 2), 1);
        assertThat(relay.relay.upstreamSubscribeCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void subscriberBeforePublisherIsRefusedThenServedOnceTheNamespaceIsPublished(final Draft draft) throws Exception
    {
        final MoqClient subscriber = relay.connect(draft);
        final Received received = new Received();
        assertThatThrownBy(() -> subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, received)
            .get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RequestRejectedException.class);

        final TrackPublisher track = publisher(draft);
        subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final List<List<byte[]>> script = RelayEndToEndTest.script(1, 5, 3);
        RelayEndToEndTest.publishGroups(track, script, 0);
        RelayFixture.await(() -> received.normalObjects() == 5, "5 objects");
        RelayEndToEndTest.assertDelivered(received, script, 0);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void publisherEndingTheTrackGivesSubscribersPublishDoneAfterTheLastObject(final Draft draft) throws Exception
    {
        final TrackPublisher track = publisher(draft);
        final Received a = new Received();
        final Received b = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, a).get(5, TimeUnit.SECONDS);
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, b).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final List<List<byte[]>> script = RelayEndToEndTest.script(2, 8, 5);
        RelayEndToEndTest.publishGroups(track, script, 0);
        track.finish(0x2, "bye");
        for (final Received r : List.of(a, b))
        {
            assertThat(r.done.get(5, TimeUnit.SECONDS)).as("PUBLISH_DONE status").isEqualTo(0x2L);
            RelayEndToEndTest.assertDelivered(r, script, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void publisherLeavingGivesSubscribersPublishDone(final Draft draft) throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received a = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, a).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        publisher.close();
        assertThat(a.done.get(5, TimeUnit.SECONDS)).as("PUBLISH_DONE TRACK_ENDED").isEqualTo(0x2L);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void lastSubscriberLeavingReleasesTheUpstreamSubscription(final Draft draft) throws Exception
    {
        final TrackPublisher track = publisher(draft);
        final MoqClient subscriber = relay.connect(draft);
        final Subscription first = subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, new Received())
            .get(5, TimeUnit.SECONDS);
        final Subscription second = relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST,
            new Received()).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        assertThat(track.subscriberCount()).isEqualTo(1);
        first.unsubscribe();
        Thread.sleep(100);
        assertThat(track.subscriberCount()).as("one subscriber is left").isEqualTo(1);
        second.unsubscribe();
        RelayFixture.await(() -> track.subscriberCount() == 0, "the relay to unsubscribe upstream");
        assertThat(relay.relay.upstreamSubscribeCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void relayShuttingDownSendsGoawayAndRefusesNewRequests(final Draft draft) throws Exception
    {
        final java.util.concurrent.CompletableFuture<String> goaway = new java.util.concurrent.CompletableFuture<>();
        final MoqClient client = relay.connect(draft, new moq.relay.client.SessionListener()
        {
            @Override
            public void onGoaway(final String newSessionUri)
            {
                goaway.complete(newSessionUri);
            }
        });
        final Thread shutdown = new Thread(relay.server::shutdownGracefully);
        shutdown.start();
        assertThat(goaway.get(5, TimeUnit.SECONDS)).as("GOAWAY with an empty URI").isEmpty();
        assertThatThrownBy(() -> client.subscribe(NS, TRACK, SubscribeOptions.LATEST, new Received())
            .get(5, TimeUnit.SECONDS)).as("new requests are refused while going away")
            .hasCauseInstanceOf(RequestRejectedException.class);
        shutdown.join(5_000);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void standaloneFetchReturnsCachedGroupsInOrder(final Draft draft) throws Exception
    {
        final TrackPublisher track = publisher(draft);
        final Received live = new Received();
        final MoqClient subscriber = relay.connect(draft);
        subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, live).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final List<List<byte[]>> script = RelayEndToEndTest.script(2, 6, 13);
        RelayEndToEndTest.publishGroups(track, script, 0);
        RelayFixture.await(() -> live.normalObjects() == 12, "12 live objects");

        final Received fetched = new Received();
        final java.util.concurrent.CompletableFuture<Void> complete = new java.util.concurrent.CompletableFuture<>();
        final moq.relay.client.FetchResult ok = relay.connect(draft).fetch(NS, TRACK, new Location(0, 0),
            new Location(1, 0), new moq.relay.client.FetchListener()
            {
                @Override
                public void onObject(final moq.relay.client.ReceivedObject object)
                {
                    fetched.onObject(object); // draft-14 keeps End of Group markers (status 3), draft-18 leaves them out
                }

                @Override
                public void onComplete()
                {
                    complete.complete(null);
                }

                @Override
                public void onAborted(final String why)
                {
                    complete.completeExceptionally(new AssertionError(why));
                }
            }).get(5, TimeUnit.SECONDS);
        assertThat(ok.endOfTrack()).isFalse();
        complete.get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.assertDelivered(fetched, script, 0);
        long previousGroup = -1;
        for (final long[] id : fetched.ids)
        {
            assertThat(id[0]).as("ascending groups").isGreaterThanOrEqualTo(previousGroup);
            previousGroup = id[0];
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void publishedTrackWithoutNamespaceReachesSubscribers(final Draft draft) throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        track.publish().get(5, TimeUnit.SECONDS);
        final Received r = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, r).get(5, TimeUnit.SECONDS);
        final List<List<byte[]>> script = RelayEndToEndTest.script(2, 5, 17);
        // PUBLISH starts with Forward 0 until a subscriber appears; the relay raises it with REQUEST_UPDATE
        RelayFixture.await(() -> track.subscriberCount() == 1, "the relay's subscription to the PUBLISH");
        Thread.sleep(100);
        RelayEndToEndTest.publishGroups(track, script, 0);
        RelayFixture.await(() -> r.normalObjects() == 10, () -> "10 objects, got " + r.normalObjects());
        RelayEndToEndTest.assertDelivered(r, script, 0);
    }
}
