package moq.relay.session;

import moq.relay.transport.ControlBytes;
import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.SetupOption;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeOk;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which quirks a peer gets from its MOQT_IMPLEMENTATION and draft; and the length-prefixed LARGEST_OBJECT: a draft-18
 * peer whose MOQT_IMPLEMENTATION is "moq-lite-js" (@moq/net 0.3.4) gets SUBSCRIBE_OK's LARGEST_OBJECT with a length
 * prefix, as it reads it; every other peer gets draft-18's bare Location. (The other quirks have scenario tests:
 * LateJoinerCurrentGroupTest, EmptyNamespacePrefixTest, ImquicPublisherTest,
 * UnsubscribeNamespaceByRequestIdTest.)
 */
class PeerQuirksTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    /** A track whose largest object is 5/1, published through the relay. */
    private void trackWithContent() throws Exception
    {
        final moq.relay.client.MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final RelayEndToEndTest.Received first = new RelayEndToEndTest.Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, moq.relay.client.SubscribeOptions.LATEST, first)
            .get(5, TimeUnit.SECONDS);
        final SubgroupWriter group = track.openSubgroup(5, 0);
        group.write(0, Unpooled.wrappedBuffer("a".getBytes(StandardCharsets.UTF_8)));
        group.write(1, Unpooled.wrappedBuffer("b".getBytes(StandardCharsets.UTF_8)));
        RelayFixture.await(() -> first.normalObjects() == 2, "the track's objects at the relay");
    }

    /** SETUP naming {@code implementation} (null: none), SUBSCRIBE, and the raw bytes of the relay's answer. */
    private byte[] subscribeOkBytes(final String implementation) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final Setup setup = implementation == null ? Setup.of() : Setup.of(
                KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8(implementation)));
            c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(setup));
            final RawBytes answer = new RawBytes();
            c.channel().createStream(QuicStreamType.BIDIRECTIONAL, answer).get(5, TimeUnit.SECONDS)
                .writeAndFlush(ControlBytes.draft18(new Subscribe(0, NS, TRACK, MessageParameters.EMPTY)));
            RelayFixture.await(() -> answer.bytes().length > 3, "SUBSCRIBE_OK");
            Thread.sleep(50);
            return answer.bytes();
        }
    }

    @Test
    void quirksAreChosenByImplementationAndDraft()
    {
        final java.util.Optional<moq.relay.wire.Bytes> lite = java.util.Optional.of(moq.relay.wire.Bytes.utf8(
            PeerQuirks.MOQ_LITE_JS));
        final java.util.Optional<moq.relay.wire.Bytes> other = java.util.Optional.of(moq.relay.wire.Bytes.utf8("x"));
        org.assertj.core.api.Assertions.assertThat(PeerQuirks.draft14(lite).lateRequestIds()).isTrue();
        org.assertj.core.api.Assertions.assertThat(PeerQuirks.draft14(other).lateRequestIds()).isFalse();
        org.assertj.core.api.Assertions.assertThat(PeerQuirks.draft14(java.util.Optional.empty()).lateRequestIds())
            .isFalse();
        org.assertj.core.api.Assertions.assertThat(PeerQuirks.draft18(lite).lateRequestIds()).isFalse();
        org.assertj.core.api.Assertions.assertThat(MessageParameters.of(PeerQuirks.draft14(lite).largestObject(new Location(1, 2))))
            .as("draft-14 peers get no draft-18 parameter quirk").isEqualTo(MessageParameters.of(
                new moq.relay.wire.d18.Parameter.LargestObject(new Location(1, 2))));

        final moq.relay.engine.SubscriptionFilter largest = moq.relay.engine.SubscriptionFilter.largestObject();
        final moq.relay.engine.SubscriptionFilter next = moq.relay.engine.SubscriptionFilter.nextGroupStart();
        assertThat(PeerQuirks.draft18(lite).subscriptionFilter(largest))
            .isEqualTo(moq.relay.engine.SubscriptionFilter.largestGroupStart());
        assertThat(PeerQuirks.draft14(lite).subscriptionFilter(largest))
            .isEqualTo(moq.relay.engine.SubscriptionFilter.largestGroupStart());
        assertThat(PeerQuirks.draft18(lite).subscriptionFilter(next)).isEqualTo(next);
        assertThat(PeerQuirks.draft18(other).subscriptionFilter(largest)).isEqualTo(largest);
        assertThat(PeerQuirks.draft14(other).subscriptionFilter(largest)).isEqualTo(largest);

        assertThat(PeerQuirks.draft14(lite).emptyNamespacePrefix()).isTrue();
        assertThat(PeerQuirks.draft14(other).emptyNamespacePrefix()).isFalse();
        assertThat(PeerQuirks.draft14(lite).draft14Codec())
            .isSameAs(moq.relay.wire.d14.Draft14ControlCodec.REQUEST_ID_UNSUBSCRIBE_NAMESPACE);
        assertThat(PeerQuirks.draft14(other).draft14Codec()).isSameAs(moq.relay.wire.d14.Draft14ControlCodec.INSTANCE);
        assertThat(PeerQuirks.NONE.draft14Codec()).isSameAs(moq.relay.wire.d14.Draft14ControlCodec.INSTANCE);

        // imquic names itself "imquic <version>" (meetecho/imquic src/moq.c).
        assertThat(PeerQuirks.draft18(java.util.Optional.of(Bytes.utf8("imquic 0.0.1-alpha"))).publishForwardAlways())
            .isTrue();
        assertThat(PeerQuirks.draft18(java.util.Optional.of(Bytes.utf8("imquic"))).publishForwardAlways()).isTrue();
        assertThat(PeerQuirks.draft18(java.util.Optional.of(Bytes.utf8("imquicker"))).publishForwardAlways())
            .isFalse();
        assertThat(PeerQuirks.draft18(lite).publishForwardAlways()).isFalse();
        assertThat(PeerQuirks.NONE.toString()).isEqualTo("none");
    }

    @Test
    void aPeerNamingNoKnownImplementationGetsTheDraftsBareLocation() throws Exception
    {
        trackWithContent();
        for (final String implementation : new String[] {null, "some-other-client"})
        {
            final RecordedMessages decoded = new RecordedMessages(Draft18ControlCodec.INSTANCE);
            decoded.channelRead(null, Unpooled.wrappedBuffer(subscribeOkBytes(implementation)));
            final SubscribeOk ok = decoded.first(SubscribeOk.class);
            assertThat(ok).as("SUBSCRIBE_OK for implementation %s", implementation).isNotNull();
            assertThat(ok.largestObject()).contains(new Location(5, 1));
        }
    }

    @Test
    void moqLiteJsGetsLargestObjectWithALengthPrefix() throws Exception
    {
        trackWithContent();
        final UnsafeBuffer b = new UnsafeBuffer(subscribeOkBytes(PeerQuirks.MOQ_LITE_JS));
        int p = 0;
        assertThat(MoqtVarint.value(b, p)).as("SUBSCRIBE_OK").isEqualTo(0x04);
        p += MoqtVarint.size(b, p) + 2; // type, 16-bit length
        p += MoqtVarint.size(b, p); // track alias
        assertThat(MoqtVarint.value(b, p)).as("parameter count").isEqualTo(1);
        p += MoqtVarint.size(b, p);
        assertThat(MoqtVarint.value(b, p)).as("LARGEST_OBJECT").isEqualTo(0x09);
        p += MoqtVarint.size(b, p);
        assertThat(MoqtVarint.value(b, p)).as("value length").isEqualTo(2);
        p += MoqtVarint.size(b, p);
        assertThat(MoqtVarint.value(b, p)).as("group").isEqualTo(5);
        p += MoqtVarint.size(b, p);
        assertThat(MoqtVarint.value(b, p)).as("object").isEqualTo(1);
    }

    /** Collects a stream's bytes. */
    private static final class RawBytes extends ChannelInboundHandlerAdapter
    {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        @Override
        public void channelRead(final io.netty.channel.ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            synchronized (out)
            {
                final byte[] a = new byte[b.readableBytes()];
                b.readBytes(a);
                out.writeBytes(a);
            }
            b.release();
        }

        byte[] bytes()
        {
            synchronized (out)
            {
                return out.toByteArray();
            }
        }
    }
}
