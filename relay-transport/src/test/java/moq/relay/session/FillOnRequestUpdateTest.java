package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.PublishDone;
import moq.relay.wire.d20.RequestOk;
import moq.relay.wire.d20.RequestUpdate;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeOk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Draft 20's FILL_PARAMETERS in a REQUEST_UPDATE of a subscription, over QUIC (draft-21 §9.5.1: "Including
 * FILL_PARAMETERS ... in the REQUEST_UPDATE causes the publisher to deliver the new fill range by opening a new fill
 * fetch stream"; §3.4: its FETCH_HEADER carries "the REQUEST_UPDATE Request ID for a subsequent fill", and a
 * subscription "can have multiple fill fetch streams open at once"; §3.4.1: none while Forward State is 0).
 */
class FillOnRequestUpdateTest
{
    private static final TrackNamespace NS = TrackNamespace.of("d20", "fill-update");
    private static final Bytes TRACK = Bytes.utf8("video");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(java.util.Map.of());
    private static final Path certDir = relay.certDir();

    private TrackPublisher publisher() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_20);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        return publisher.track(NS, TRACK, 100);
    }

    /** Groups {@code first..last}, one subgroup of objects 0..2 each, then FIN. */
    private static void publish(final TrackPublisher track, final long first, final long last)
    {
        for (long g = first; g <= last; g++)
        {
            final SubgroupWriter s = track.openSubgroup(g, 0);
            for (int o = 0; o < 3; o++)
            {
                s.write(o, Unpooled.wrappedBuffer(new byte[] {(byte)g, (byte)o}));
            }
            s.close();
        }
    }

    private static List<ControlMessage> messages(final RawPeer.RawBytes stream)
    {
        return stream.decoded(Draft20ControlCodec.INSTANCE);
    }

    private static RequestUpdate fillUpdate(final long requestId, final LocationFilter range)
    {
        return new RequestUpdate(requestId, MessageParameters.of(new Parameter.FillParameters(
            MessageParameters.of(new Parameter.LocationFilterParameter(range)))));
    }

    @Test
    void aRequestUpdateWithFillParametersOpensAFillStreamUnderTheUpdatesRequestId() throws Exception
    {
        final TrackPublisher track = publisher();
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes stream = peer.request(new Subscribe(peer.nextRequestId(), NS, TRACK,
                MessageParameters.of(new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT))));
            RelayFixture.await(() -> !messages(stream).isEmpty(), "SUBSCRIBE_OK");
            assertThat(messages(stream).get(0)).isInstanceOf(SubscribeOk.class);
            track.firstSubscriber().get(5, TimeUnit.SECONDS);
            publish(track, 0, 2);
            RelayFixture.await(() -> peer.objects.size() == 9, "the live objects 0/0 .. 2/2");

            // Groups 1 and 2 again, on a fill fetch stream of the update's own Request ID.
            final long first = peer.nextRequestId();
            stream.channel().writeAndFlush(peer.encode(fillUpdate(first,
                LocationFilter.absoluteStart(new Location(1, 0)))));
            RelayFixture.await(() -> peer.fetched.contains(first + ":FIN"), "the first fill's FIN");
            // REQUEST_OK says where the fill ends (§3.4: "LARGEST_OBJECT parameter in ... REQUEST_UPDATE_OK").
            assertThat(messages(stream).get(1)).isInstanceOfSatisfying(RequestOk.class,
                ok -> assertThat(ok.parameters().largestObject()).contains(new Location(2, 2)));
            assertThat(peer.fetched).containsExactly(first + ":1/0", first + ":1/1", first + ":1/2",
                first + ":2/0", first + ":2/1", first + ":2/2", first + ":FIN");

            // A second fill, relative (StartGroup 1: the current group), is a stream of its own.
            final long second = peer.nextRequestId();
            stream.channel().writeAndFlush(peer.encode(fillUpdate(second, LocationFilter.relativeStartGroup(1))));
            RelayFixture.await(() -> peer.fetched.contains(second + ":FIN"), "the second fill's FIN");
            assertThat(peer.fetched.subList(7, peer.fetched.size())).containsExactly(second + ":2/0",
                second + ":2/1", second + ":2/2", second + ":FIN");

            // PUBLISH_DONE counts the fill streams with the subgroup streams (draft-21 §9.9): 3 + 2.
            track.finish(0x2, "done");
            RelayFixture.await(() -> messages(stream).stream().anyMatch(PublishDone.class::isInstance),
                "PUBLISH_DONE");
            final PublishDone done = (PublishDone)messages(stream).stream().filter(PublishDone.class::isInstance)
                .findFirst().orElseThrow();
            assertThat(done.streamCount()).isEqualTo(5);
        }
    }

    @Test
    void aFillAskedForWhileForwardIsZeroOpensNoStream() throws Exception
    {
        final TrackPublisher track = publisher();
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes stream = peer.request(new Subscribe(peer.nextRequestId(), NS, TRACK,
                MessageParameters.of(new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT))));
            RelayFixture.await(() -> !messages(stream).isEmpty(), "SUBSCRIBE_OK");
            track.firstSubscriber().get(5, TimeUnit.SECONDS);
            publish(track, 0, 1);
            RelayFixture.await(() -> peer.objects.size() == 6, "the live objects");

            final long id = peer.nextRequestId();
            stream.channel().writeAndFlush(peer.encode(new RequestUpdate(id, MessageParameters.of(
                new Parameter.Forward(false), new Parameter.FillParameters(MessageParameters.of(
                    new Parameter.LocationFilterParameter(LocationFilter.absoluteStart(new Location(1, 0)))))))));
            RelayFixture.await(() -> messages(stream).size() >= 2, "REQUEST_OK");
            assertThat(messages(stream).get(1)).isInstanceOf(RequestOk.class);
            Thread.sleep(300); // a fill stream would arrive meanwhile
            assertThat(peer.fetched).as("§3.4.1: no fill while Forward State is 0").isEmpty();
        }
    }
}
