package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.PrefixSubscription;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A publisher reloads while its old session lingers (a closed browser page's WebTransport session stays open until
 * the QUIC idle timeout): publisher A published groups 0..5 and stays connected, silent; a new session B offers the
 * same track from group 0. The newest publisher wins (docs/engine.md "Track epochs"): the subscriber that was there
 * gets PUBLISH_DONE and, subscribing again, B's objects; a late joiner gets B's objects at once; A is no longer asked
 * (the relay unsubscribes it or stops its forwarding), and what A still sends reaches nobody. Before, B joined A's
 * epoch and its groups, below A's, were filtered until A's session ended. Both ways a publisher offers a track:
 * PUBLISH_NAMESPACE (the relay subscribes upstream) and PUBLISH.
 * <p>
 * The namespace's subscribers hear the restart: the namespace withdrawn and published again (draft 14:
 * PUBLISH_NAMESPACE_DONE then PUBLISH_NAMESPACE; drafts 18 and 20: NAMESPACE_DONE then NAMESPACE), which is what makes
 * a watcher that does not subscribe again on PUBLISH_DONE (draft-14 {@code @moq/watch}) reload the broadcast; the
 * restart takes the whole broadcast (the old session's other tracks end too). A graceful switchover (a new session
 * continuing the group IDs) stays silent: no PUBLISH_DONE, no namespace flap.
 */
class PublisherTakeoverTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    private static TrackPublisher offer(final MoqClient publisher, final boolean publish) throws Exception
    {
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        if (publish)
        {
            track.publish().get(5, TimeUnit.SECONDS);
        }
        else
        {
            publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        }
        return track;
    }

    @ParameterizedTest(name = "{0}, PUBLISH {1}")
    @CsvSource({"DRAFT_18, false", "DRAFT_18, true", "DRAFT_14, false", "DRAFT_14, true"})
    void newerPublisherSessionReplacesALingeringOne(final Draft draft, final boolean publish) throws Exception
    {
        final MoqClient lingering = relay.connect(draft);
        final TrackPublisher oldTrack = offer(lingering, publish);
        final MoqClient viewer = relay.connect(draft);
        final Received stayed = new Received();
        viewer.subscribe(NS, TRACK, SubscribeOptions.LATEST, stayed).get(5, TimeUnit.SECONDS);
        RelayFixture.await(() -> oldTrack.subscriberCount() == 1, "the relay's subscription to the old publisher");
        Thread.sleep(100); // PUBLISH: REQUEST_UPDATE Forward=1 follows the subscriber's SUBSCRIBE_OK
        RelayEndToEndTest.publishGroups(oldTrack, RelayEndToEndTest.script(6, 3, 1), 0);
        RelayFixture.await(() -> stayed.normalObjects() == 18, "the old publisher's 18 objects");

        // The old session stays open; a new session of the same publisher offers the track again from group 0.
        final TrackPublisher newTrack = offer(relay.connect(draft), publish);
        assertThat(stayed.done.get(5, TimeUnit.SECONDS)).as("PUBLISH_DONE TRACK_ENDED to the old epoch's subscriber")
            .isEqualTo(0x2L);
        if (!publish)
        {
            RelayFixture.await(() -> oldTrack.subscriberCount() == 0, "the relay unsubscribed the old publisher");
        }

        final Received late = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, late).get(5, TimeUnit.SECONDS);
        final Received again = new Received();
        viewer.subscribe(NS, TRACK, SubscribeOptions.LATEST, again).get(5, TimeUnit.SECONDS);
        RelayFixture.await(() -> newTrack.subscriberCount() == 1, "the relay's subscription to the new publisher");
        Thread.sleep(100);

        final List<List<byte[]>> newScript = RelayEndToEndTest.script(2, 4, 2);
        RelayEndToEndTest.publishGroups(newTrack, newScript, 0);
        for (final Received r : List.of(late, again))
        {
            RelayFixture.await(() -> r.normalObjects() == 8, () -> "the new publisher's 8 objects, got " +
                r.normalObjects());
            RelayEndToEndTest.assertDelivered(r, newScript, 0);
        }
        if (!publish)
        {
            // What the replaced publisher still sends (it was unsubscribed) reaches nobody.
            RelayEndToEndTest.publishGroups(oldTrack, RelayEndToEndTest.script(1, 2, 1), 6);
            Thread.sleep(300);
        }
        for (final Received r : List.of(late, again))
        {
            assertThat(r.ids).as("nothing of the old publisher").allMatch(id -> id[0] < 2);
        }
        assertThat(stayed.normalObjects()).as("the ended subscription got nothing more").isEqualTo(18);
    }

    /** The suffix NS has under PREFIX, as the namespace subscriber hears it. */
    private static final TrackNamespace PREFIX = TrackNamespace.of("live");
    private static final String ROOM = TrackNamespace.of("room").toString();
    /** A second track of the broadcast, which the restarted publisher no longer publishes. */
    private static final Bytes OLD_ONLY = Bytes.utf8("old-only");

    /** NAMESPACE / NAMESPACE_DONE as "+suffix" / "-suffix", in arrival order. */
    static final class Heard implements PrefixSubscription.NamespaceListener
    {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onNamespace(final TrackNamespace suffix)
        {
            events.add("+" + suffix);
        }

        @Override
        public void onNamespaceDone(final TrackNamespace suffix)
        {
            events.add("-" + suffix);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DRAFT_14", "DRAFT_18", "DRAFT_20"})
    void namespaceSubscribersHearTheRestartedBroadcastWithdrawnAndPublishedAgain(final Draft draft) throws Exception
    {
        final MoqClient lingering = relay.connect(draft);
        final TrackPublisher oldTrack = lingering.track(NS, TRACK, 100);
        final TrackPublisher oldOnly = lingering.track(NS, OLD_ONLY, 100);
        lingering.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final MoqClient watcher = relay.connect(draft);
        final Heard heard = new Heard();
        watcher.subscribeNamespace(PREFIX, heard).get(5, TimeUnit.SECONDS);
        RelayFixture.await(() -> heard.events.equals(List.of("+" + ROOM)), () -> "the namespace, heard " +
            heard.events);
        final Received stayed = new Received();
        watcher.subscribe(NS, TRACK, SubscribeOptions.LATEST, stayed).get(5, TimeUnit.SECONDS);
        final Received stayedOldOnly = new Received();
        watcher.subscribe(NS, OLD_ONLY, SubscribeOptions.LATEST, stayedOldOnly).get(5, TimeUnit.SECONDS);
        oldTrack.firstSubscriber().get(5, TimeUnit.SECONDS);
        oldOnly.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(oldTrack, RelayEndToEndTest.script(6, 3, 1), 0);
        RelayEndToEndTest.publishGroups(oldOnly, RelayEndToEndTest.script(2, 1, 3), 0);
        RelayFixture.await(() -> stayed.normalObjects() == 18 && stayedOldOnly.normalObjects() == 2,
            "the old publisher's objects");

        // The old session stays open; a new session of the same publisher publishes the namespace again, with the
        // track from group 0 and without the other one.
        final MoqClient restarted = relay.connect(draft);
        final TrackPublisher newTrack = restarted.track(NS, TRACK, 100);
        restarted.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        assertThat(stayed.done.get(5, TimeUnit.SECONDS)).as("PUBLISH_DONE TRACK_ENDED").isEqualTo(0x2L);
        RelayFixture.await(() -> heard.events.size() >= 3, () -> "the namespace withdrawn and published again, heard "
            + heard.events);
        Thread.sleep(200);
        assertThat(heard.events).as("one flap").containsExactly("+" + ROOM, "-" + ROOM, "+" + ROOM);
        assertThat(stayedOldOnly.done.get(5, TimeUnit.SECONDS))
            .as("the whole broadcast is taken over: PUBLISH_DONE for the track only the old session publishes")
            .isEqualTo(0x2L);

        // Subscribing again (what a watcher does when the namespace comes back) gets the new publisher's objects.
        final Received again = new Received();
        watcher.subscribe(NS, TRACK, SubscribeOptions.LATEST, again).get(5, TimeUnit.SECONDS);
        RelayFixture.await(() -> newTrack.subscriberCount() == 1, "the relay's subscription to the new publisher");
        final List<List<byte[]>> newScript = RelayEndToEndTest.script(2, 4, 2);
        RelayEndToEndTest.publishGroups(newTrack, newScript, 0);
        RelayFixture.await(() -> again.normalObjects() == 8, () -> "the new publisher's 8 objects, got " +
            again.normalObjects());
        RelayEndToEndTest.assertDelivered(again, newScript, 0);
        // The old session's other track went with its broadcast: the new publisher does not have it.
        try
        {
            watcher.subscribe(NS, OLD_ONLY, SubscribeOptions.LATEST, new Received()).get(5, TimeUnit.SECONDS);
            org.junit.jupiter.api.Assertions.fail("the replaced broadcast's track is still served");
        }
        catch (final ExecutionException | CompletionException e)
        {
            assertThat(e.getCause()).isInstanceOf(RequestRejectedException.class);
        }
        RelayFixture.await(() -> oldOnly.subscriberCount() == 0, "the relay unsubscribed the old session's track");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DRAFT_14", "DRAFT_18"})
    void gracefulSwitchoverIsSilent(final Draft draft) throws Exception
    {
        final MoqClient first = relay.connect(draft);
        final TrackPublisher firstTrack = first.track(NS, TRACK, 100);
        first.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final MoqClient watcher = relay.connect(draft);
        final Heard heard = new Heard();
        watcher.subscribeNamespace(PREFIX, heard).get(5, TimeUnit.SECONDS);
        final Received stays = new Received();
        watcher.subscribe(NS, TRACK, SubscribeOptions.LATEST, stays).get(5, TimeUnit.SECONDS);
        firstTrack.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(firstTrack, RelayEndToEndTest.script(6, 3, 1), 0);
        RelayFixture.await(() -> stays.normalObjects() == 18, "the first session's 18 objects");

        // A new session of the same publisher continues the group IDs (its Largest Location is past the cache's).
        final MoqClient second = relay.connect(draft);
        final TrackPublisher secondTrack = second.track(NS, TRACK, 100);
        RelayEndToEndTest.publishGroups(secondTrack, RelayEndToEndTest.script(1, 3, 4), 6); // before anyone subscribed
        second.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        secondTrack.firstSubscriber().get(5, TimeUnit.SECONDS);
        Thread.sleep(100);
        final List<List<byte[]>> next = RelayEndToEndTest.script(1, 3, 5);
        RelayEndToEndTest.publishGroups(secondTrack, next, 7);
        RelayFixture.await(() -> stays.normalObjects() == 21, () -> "group 7 from the second session, got " +
            stays.normalObjects());
        first.close();
        Thread.sleep(300);
        assertThat(stays.done).as("no PUBLISH_DONE").isNotDone();
        assertThat(heard.events).as("no flap").containsExactly("+" + ROOM);
    }
}
