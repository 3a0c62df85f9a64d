package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.RangeFilter;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeOk;
import moq.relay.wire.param.ParameterType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A draft-20 subscriber's OBJECT_PROPERTY_FILTER on a draft-14 publisher's objects, over QUIC. Draft 14's Extension
 * Headers are Key-Value-Pairs with absolute Types and QUIC varints (RFC 9000 §16); draft 18's Object Properties, which
 * the filter reads, have delta-coded Types and leading-ones varints. The relay keeps the publisher's bytes, so it must
 * read a draft-14 block as draft 14 writes it.
 */
class Draft14PropertyFilterTest
{
    private static final TrackNamespace NS = TrackNamespace.of("d14", "properties");
    private static final Bytes TRACK = Bytes.utf8("video");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of());
    private static final Path certDir = relay.certDir();

    @Test
    void aDraft14PublishersExtensionHeadersAreFilteredAsDraft14EncodesThem() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_14);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            // Objects whose property 0x3C is 7 pass.
            final RawPeer.RawBytes stream = peer.request(new Subscribe(peer.nextRequestId(), NS, TRACK,
                MessageParameters.of(new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT),
                    new Parameter.Range(RangeFilter.of(ParameterType.OBJECT_PROPERTY_FILTER, 0, 0x3C,
                        new RangeFilter.Range(7, 7))))));
            RelayFixture.await(() -> !stream.decoded(Draft20ControlCodec.INSTANCE).isEmpty(), "SUBSCRIBE_OK");
            assertThat(stream.decoded(Draft20ControlCodec.INSTANCE).get(0)).isInstanceOf(SubscribeOk.class);
            track.firstSubscriber().get(5, TimeUnit.SECONDS);

            final SubgroupWriter w = track.openSubgroup(1, 0, -1, true);
            // {0x02: 5, 0x3C: 7}: read with delta types, the second is 0x02 + 0x3C = 0x3E.
            w.write(0, Bytes.fromHex("02053c07").toByteArray(), Unpooled.wrappedBuffer(new byte[] {0}));
            // {0x3C: 100}: 100 is the 2-byte QUIC varint 0x4064; a leading-ones varint reads 0x40 as 64.
            w.write(1, Bytes.fromHex("3c4064").toByteArray(), Unpooled.wrappedBuffer(new byte[] {1}));
            w.write(2, Bytes.fromHex("3c07").toByteArray(), Unpooled.wrappedBuffer(new byte[] {2}));
            // {0x02: 5, 0x3A: 7}: no property 0x3C; read with delta types, the second would be 0x3C = 7.
            w.write(3, Bytes.fromHex("02053a07").toByteArray(), Unpooled.wrappedBuffer(new byte[] {3}));
            w.write(4, Unpooled.wrappedBuffer(new byte[] {4}));
            w.close();
            RelayFixture.await(() -> peer.objects.size() >= 2, "the objects that pass");
            Thread.sleep(300); // nothing more arrives
            assertThat(peer.objects).containsExactly("1/0", "1/2");
        }
    }
}
