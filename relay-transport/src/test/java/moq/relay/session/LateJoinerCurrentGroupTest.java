package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A late joiner of a track that does not change (a call's catalog; a video group between keyframes). Draft 18 and 14
 * start a Largest Object subscription after the largest object, so it gets nothing until the next one. @moq/watch and
 * @moq/net (MOQT_IMPLEMENTATION "moq-lite-js") subscribe that way and count on the relay replaying the current group,
 * as moq-dev's relay does: for them (PeerQuirks) the relay starts at the largest group's first cached object; every
 * other peer gets the draft's behaviour.
 */
class LateJoinerCurrentGroupTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private SubgroupWriter group;

    @BeforeEach
    void start() throws Exception
    {
        // Group 3 with objects 0..2 in the relay's cache, held there by a first subscriber; then nothing changes.
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final RelayEndToEndTest.Received first = new RelayEndToEndTest.Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, moq.relay.client.SubscribeOptions.LATEST, first)
            .get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        group = track.openSubgroup(3, 0);
        for (int o = 0; o < 3; o++)
        {
            group.write(o, Unpooled.wrappedBuffer(RawPeer.payload(3, o)));
        }
        RelayFixture.await(() -> first.normalObjects() == 3, "the group at the relay");
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_14"})
    void moqLiteJsGetsTheCurrentGroupFromItsStartOthersGetTheDraftsLargestObject(final Draft draft) throws Exception
    {
        try (RawPeer lite = new RawPeer(relay, certDir, draft, PeerQuirks.MOQ_LITE_JS);
            RawPeer other = new RawPeer(relay, certDir, draft, "some-client");
            RawPeer anonymous = new RawPeer(relay, certDir, draft, null))
        {
            lite.subscribeLargestObject(NS, TRACK);
            other.subscribeLargestObject(NS, TRACK);
            anonymous.subscribeLargestObject(NS, TRACK);

            RelayFixture.await(() -> lite.objects.size() == 3, () -> "the current group for moq-lite-js, got " +
                lite.objects);
            Thread.sleep(200);
            assertThat(lite.objects).containsExactly("3/0", "3/1", "3/2");
            assertThat(other.objects).as("draft behaviour: after the largest object").isEmpty();
            assertThat(anonymous.objects).as("draft behaviour: after the largest object").isEmpty();

            // The next object reaches everyone, once.
            group.write(3, Unpooled.wrappedBuffer(RawPeer.payload(3, 3)));
            RelayFixture.await(() -> lite.objects.size() == 4 && other.objects.size() == 1 &&
                anonymous.objects.size() == 1, "the next object everywhere");
            Thread.sleep(100);
            assertThat(lite.objects).containsExactly("3/0", "3/1", "3/2", "3/3");
            assertThat(other.objects).containsExactly("3/3");
            assertThat(anonymous.objects).containsExactly("3/3");
        }
    }
}
