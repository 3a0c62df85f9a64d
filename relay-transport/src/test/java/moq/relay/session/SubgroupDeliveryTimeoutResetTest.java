package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeOk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SUBGROUP_DELIVERY_TIMEOUT over QUIC when the relay has handed the whole subgroup to QUIC (draft-21 §5.2: "If the
 * timer expires before the underlying transport stream reaches 'all data committed' state ..., the implementation MUST
 * reset the stream"). Subscribers that read nothing (their data streams' auto-read off) grant the relay only the
 * stream's initial credit (64 KiB): of a subgroup of two 48 KiB objects and its FIN, QUIC takes the first object and
 * part of the second, the rest and the FIN wait in the stream. The subscriber with a 300 ms SUBGROUP_DELIVERY_TIMEOUT
 * gets the stream reset DELIVERY_TIMEOUT (0x2), which discards what waited; the one without gets the whole subgroup
 * once it reads.
 */
class SubgroupDeliveryTimeoutResetTest
{
    private static final TrackNamespace NS = TrackNamespace.of("d20", "subgroup-timeout");
    private static final Bytes TRACK = Bytes.utf8("video");
    private static final int PAYLOAD = 48 * 1024;
    private static final long TIMEOUT_MS = 300;

    // No bound of the relay's own may reset the stalled subscribers: only the delivery timeout acts.
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME, "0s"));
    private static final Path certDir = relay.certDir();

    private static List<ControlMessage> messages(final RawPeer.RawBytes stream)
    {
        return stream.decoded(Draft20ControlCodec.INSTANCE);
    }

    private static void subscribe(final RawPeer peer, final moq.relay.wire.param.Parameter... parameters)
        throws Exception
    {
        final List<moq.relay.wire.param.Parameter> all = new java.util.ArrayList<>(List.of(parameters));
        all.add(new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT));
        final RawPeer.RawBytes stream = peer.request(new Subscribe(peer.nextRequestId(), NS, TRACK,
            MessageParameters.of(all.toArray(new moq.relay.wire.param.Parameter[0]))));
        RelayFixture.await(() -> !messages(stream).isEmpty(), "SUBSCRIBE_OK");
        assertThat(messages(stream).get(0)).isInstanceOf(SubscribeOk.class);
    }

    @Test
    void aSubgroupWhoseDataQuicStillHoldsIsResetWhenItsTimeoutPasses() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_20);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        try (RawPeer timed = new RawPeer(relay, certDir, Draft.DRAFT_20, null);
            RawPeer untimed = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            timed.holdDataStreams = true;
            untimed.holdDataStreams = true;
            subscribe(timed, new Parameter.SubgroupDeliveryTimeout(TIMEOUT_MS));
            subscribe(untimed);
            track.firstSubscriber().get(5, TimeUnit.SECONDS);

            final SubgroupWriter s = track.openSubgroup(0, 0);
            s.write(0, Unpooled.wrappedBuffer(new byte[PAYLOAD]));
            s.write(1, Unpooled.wrappedBuffer(new byte[PAYLOAD]));
            s.close();
            Thread.sleep(3 * TIMEOUT_MS);
            timed.readDataStreams();
            untimed.readDataStreams();

            RelayFixture.await(() -> untimed.subgroupEnds.contains("0/0:FIN"), "the untimed subscriber's FIN");
            assertThat(untimed.objects).containsExactly("0/0", "0/1");
            RelayFixture.await(() -> !timed.subgroupEnds.isEmpty(), () -> "the timed subscriber's stream end, got " +
                timed.objects);
            assertThat(timed.subgroupEnds).hasSize(1).first().asString()
                .endsWith(":" + StreamResetCode.DELIVERY_TIMEOUT.code());
            assertThat(timed.objects).as("the object QUIC still held is not delivered").doesNotContain("0/1");
        }
    }
}
