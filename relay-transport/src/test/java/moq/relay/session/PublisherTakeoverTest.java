package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Draft;
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
}
