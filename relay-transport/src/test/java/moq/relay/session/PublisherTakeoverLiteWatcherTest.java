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
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A moq-lite watcher (ANNOUNCE_PLEASE) of a publisher that restarts beside its lingering old session
 * ({@code PublisherTakeoverTest} for the MoqT drafts): it hears the broadcast ended and active again, once.
 */
class PublisherTakeoverLiteWatcherTest
{
    @RegisterExtension
    static final LiteRelayExtension lite = LiteRelayExtension.withDefaults();

    @Test
    void liteWatcherHearsTheRestartedBroadcastEndedAndActiveAgain() throws Exception
    {
        final MoqClient lingering = lite.relay.connect(Draft.DRAFT_14);
        final TrackPublisher oldTrack = lingering.track(NS, TRACK, 100);
        lingering.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final LiteTestPeer watcher = lite.peer();
        final LiteTestPeer.Control announces = watcher.open(LiteStreamSide.ANNOUNCE_REPLY,
            watcher.opener(LiteStreamType.ANNOUNCE, new AnnouncePlease("live", 0)));
        final Received stayed = new Received();
        lite.relay.connect(Draft.DRAFT_14).subscribe(NS, TRACK, SubscribeOptions.LATEST, stayed)
            .get(5, TimeUnit.SECONDS);
        oldTrack.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(oldTrack, RelayEndToEndTest.script(3, 2, 1), 0);
        RelayFixture.await(() -> stayed.normalObjects() == 6, "the old publisher's objects");

        final MoqClient restarted = lite.relay.connect(Draft.DRAFT_14);
        restarted.track(NS, TRACK, 100);
        restarted.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        assertThat(stayed.done.get(5, TimeUnit.SECONDS)).as("PUBLISH_DONE TRACK_ENDED").isEqualTo(0x2L);
        RelayFixture.await(() -> statuses(announces).size() >= 3, () -> "ended and active again: " +
            announces.messages);
        Thread.sleep(200);
        assertThat(statuses(announces)).containsExactly("ACTIVE room", "ENDED room", "ACTIVE room");
    }

    private static List<String> statuses(final LiteTestPeer.Control c)
    {
        return c.messages.stream().filter(m -> m instanceof Announce).map(m -> (Announce)m)
            .map(a -> a.status() + " " + a.suffix()).toList();
    }
}
