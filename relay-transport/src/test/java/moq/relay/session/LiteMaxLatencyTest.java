package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamResetException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeStart;
import moq.relay.wire.lite.SubscribeUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * moq-lite Max Latency (the text's "Expiration", issue #17): once a newer group exists, the relay resets the Group
 * Stream of an older group that arrived more than the subscriber's Max Latency before it (DELIVERY_TIMEOUT), and sends
 * the newer group; a subscriber with Max Latency 0 (none) gets the older group whole. SUBSCRIBE_UPDATE changes it.
 */
class LiteMaxLatencyTest
{
    private static final String TRACK = "video";

    @RegisterExtension
    static final LiteRelayExtension lite = LiteRelayExtension.withDefaults();

    /** Group Stream {@code sequence} the relay opened to {@code p}, or an empty stand-in before it did. */
    private static LiteTestPeer.Group group(final LiteTestPeer p, final long sequence)
    {
        return p.groups.stream().filter(g -> g.sequence == sequence).findFirst().orElseGet(() -> p.new Group());
    }

    @Test
    void anOlderGroupPastTheSubscribersMaxLatencyIsResetOnceANewerOneArrives() throws Exception
    {
        final MoqClient moqt = lite.relay.connect(Draft.DRAFT_18);
        final TrackNamespace ns = TrackNamespace.of("live", "ml");
        moqt.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = moqt.track(ns, Bytes.utf8(TRACK), 100);

        final LiteTestPeer strict = lite.peer();
        final LiteTestPeer.Control strictSub = strict.open(LiteStreamSide.SUBSCRIBE_REPLY, strict.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(1, "live/ml", TRACK, 10, true, 0, 0, 0)));
        // Max Latency set by SUBSCRIBE_UPDATE (SUBSCRIBE's is read the same way).
        strictSub.write(new SubscribeUpdate(10, true, 100, 0, 0));
        final LiteTestPeer patient = lite.peer();
        final LiteTestPeer.Control patientSub = patient.open(LiteStreamSide.SUBSCRIBE_REPLY, patient.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(2, "live/ml", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> strictSub.first(SubscribeStart.class) != null &&
            patientSub.first(SubscribeStart.class) != null, "SUBSCRIBE_START twice");
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        final SubgroupWriter g0 = track.openSubgroup(0, 0);
        g0.write(0, Unpooled.wrappedBuffer(new byte[] {1}));
        RelayFixture.await(() -> group(strict, 0).frames.size() == 1 && group(patient, 0).frames.size() == 1,
            "group 0's first frame on both");
        Thread.sleep(300); // group 1 arrives more than 100 ms after group 0
        final SubgroupWriter g1 = track.openSubgroup(1, 0);
        g1.write(0, Unpooled.wrappedBuffer(new byte[] {2}));
        g1.close();
        g0.write(1, Unpooled.wrappedBuffer(new byte[] {3}));
        g0.close();

        final LiteTestPeer.Group expired = group(strict, 0);
        expired.closed.get(5, TimeUnit.SECONDS);
        assertThat(expired.error).as("group 0 expired: reset").isInstanceOf(QuicStreamResetException.class);
        assertThat(((QuicStreamResetException)expired.error).applicationProtocolCode()).as("DELIVERY_TIMEOUT")
            .isEqualTo(0x2);
        assertThat(expired.frames).hasSize(1);
        RelayFixture.await(() -> group(strict, 1).ended, "group 1 on the strict subscriber");
        assertThat(group(strict, 1).frames).hasSize(1);

        RelayFixture.await(() -> group(patient, 0).ended && group(patient, 1).ended, "both groups, whole");
        assertThat(group(patient, 0).error).isNull();
        assertThat(group(patient, 0).frames).as("Max Latency 0: no expiry").hasSize(2);
        assertThat(List.of(strict, patient)).allSatisfy(p -> assertThat(p.connection.channel().isActive()).isTrue());
    }
}
