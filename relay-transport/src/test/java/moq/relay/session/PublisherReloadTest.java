package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.TrackPublisher;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A publisher reloads (what a browser page reload does): its session goes away after groups 0..5 and a new session
 * publishes the same track from group 0, well within the track idle timeout. A late joiner gets the new publisher's
 * objects at once; the subscriber that was there gets PUBLISH_DONE and, subscribing again (as the browser libraries
 * do), the new objects too. Both ways a publisher offers a track: PUBLISH_NAMESPACE (the relay subscribes upstream)
 * and PUBLISH.
 */
class PublisherReloadTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    private TrackPublisher offer(final MoqClient publisher, final boolean publish) throws Exception
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

    /** The relay is subscribed (SUBSCRIBE answered, or Forward raised on the PUBLISH) and objects may flow. */
    private static void awaitForwarding(final TrackPublisher track, final boolean publish) throws Exception
    {
        if (publish)
        {
            RelayFixture.await(() -> track.subscriberCount() == 1, "the relay's subscription to the PUBLISH");
            Thread.sleep(100); // REQUEST_UPDATE Forward=1 follows the subscriber's SUBSCRIBE_OK
        }
        else
        {
            track.firstSubscriber().get(5, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}, PUBLISH {1}")
    @CsvSource({"DRAFT_18, false", "DRAFT_18, true", "DRAFT_14, false", "DRAFT_14, true"})
    void newPublisherSessionIsHeardAtOnceByLateJoinersAndResubscribers(final Draft draft, final boolean publish)
        throws Exception
    {
        final MoqClient before = relay.connect(draft);
        final TrackPublisher oldTrack = offer(before, publish);
        final MoqClient viewer = relay.connect(draft);
        final Received stayed = new Received();
        viewer.subscribe(NS, TRACK, SubscribeOptions.LATEST, stayed).get(5, TimeUnit.SECONDS);
        awaitForwarding(oldTrack, publish);
        final List<List<byte[]>> oldScript = RelayEndToEndTest.script(6, 3, 1);
        RelayEndToEndTest.publishGroups(oldTrack, oldScript, 0);
        RelayFixture.await(() -> stayed.normalObjects() == 18, "the old publisher's 18 objects");

        before.close();
        assertThat(stayed.done.get(5, TimeUnit.SECONDS)).as("PUBLISH_DONE TRACK_ENDED").isEqualTo(0x2L);

        final TrackPublisher newTrack = offer(relay.connect(draft), publish);
        final Received late = new Received();
        final Subscription lateSub = relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, late)
            .get(5, TimeUnit.SECONDS);
        final Received again = new Received();
        viewer.subscribe(NS, TRACK, SubscribeOptions.LATEST, again).get(5, TimeUnit.SECONDS);
        awaitForwarding(newTrack, publish);

        final List<List<byte[]>> newScript = RelayEndToEndTest.script(2, 4, 2);
        RelayEndToEndTest.publishGroups(newTrack, newScript, 0);
        for (final Received r : List.of(late, again))
        {
            RelayFixture.await(() -> r.normalObjects() == 8, () -> "the new publisher's 8 objects, got " +
                r.normalObjects());
            RelayEndToEndTest.assertDelivered(r, newScript, 0);
            assertThat(r.ids).as("nothing of the old publisher").allMatch(id -> id[0] < 2);
        }
        assertThat(stayed.normalObjects()).as("the ended subscription got nothing more").isEqualTo(18);
        assertThat(lateSub.largest()).as("SUBSCRIBE_OK: nothing published by the new publisher yet").isNull();
    }
}
