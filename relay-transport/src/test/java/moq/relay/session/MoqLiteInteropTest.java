package moq.relay.session;

import moq.relay.transport.ControlBytes;
import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import moq.relay.wire.d14.ClientSetup;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d14.GroupOrder;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.PublishNamespace;
import moq.relay.wire.d14.PublishNamespaceOk;
import moq.relay.wire.d14.ServerSetup;
import moq.relay.wire.d14.SetupParameters;
import moq.relay.wire.d14.Subscribe;
import moq.relay.wire.d14.SubscribeOk;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A draft-14 publisher that behaves like @moq/lite 0.2.2: SUBSCRIBE_OK with Expires 0 whose track alias is the request
 * id of the relay's SUBSCRIBE (its ietf/publisher.js: {@code trackAlias: msg.requestId}), and subgroup streams of type
 * 0x18 under that alias.
 */
class MoqLiteInteropTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    @Test
    void subgroupStreamsKeyedByTheSubscribeRequestIdAreAcceptedAndPublishDoneEndsThem() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moq-00"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final RecordedMessages control = new RecordedMessages(Draft14ControlCodec.INSTANCE);
            final QuicStreamChannel stream = c.channel().createStream(QuicStreamType.BIDIRECTIONAL, control)
                .get(5, TimeUnit.SECONDS);
            stream.writeAndFlush(ControlBytes.draft14(new ClientSetup(List.of(Draft.DRAFT_14.version()),
                SetupParameters.builder().maxRequestId(100).build())));
            RelayFixture.await(() -> control.first(ServerSetup.class) != null, "SERVER_SETUP");
            stream.writeAndFlush(ControlBytes.draft14(new PublishNamespace(0, NS, MessageParameters.EMPTY)));
            RelayFixture.await(() -> control.first(PublishNamespaceOk.class) != null, "PUBLISH_NAMESPACE_OK");

            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            RelayFixture.await(() -> control.first(Subscribe.class) != null, "the relay's SUBSCRIBE");
            final long requestId = control.first(Subscribe.class).requestId();
            stream.writeAndFlush(ControlBytes.draft14(new SubscribeOk(requestId, requestId, 0, GroupOrder.ASCENDING, null,
                MessageParameters.EMPTY)));
            subscribed.get(5, TimeUnit.SECONDS);

            final QuicStreamChannel data = c.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
            final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(Draft.DRAFT_14);
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
            int n = encoder.writeHeader(Draft.DRAFT_14, scratch, 0, 0x18, requestId, 0, 0, 128);
            data.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
            ChannelFuture last = null;
            for (int o = 0; o < 3; o++)
            {
                final byte[] payload = ("lite object " + o).getBytes(StandardCharsets.UTF_8);
                n = encoder.writeObject(scratch, 0, o, ObjectStatus.NORMAL, null, 0, 0, payload.length);
                data.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
                last = data.writeAndFlush(Unpooled.wrappedBuffer(payload));
            }
            last.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);

            RelayFixture.await(() -> received.normalObjects() == 3, "3 objects through the relay");
            for (int o = 0; o < 3; o++)
            {
                assertThat(new String(received.payloads.get(o), StandardCharsets.UTF_8)).isEqualTo("lite object " + o);
            }

            // A PUBLISH_DONE counting streams that never arrive still ends the subscription, after the grace period.
            stream.writeAndFlush(ControlBytes.draft14(new moq.relay.wire.d14.PublishDone(requestId, 0x2, 5,
                moq.relay.wire.Bytes.utf8("done"))));
            assertThat(received.done.get(8, TimeUnit.SECONDS)).as("PUBLISH_DONE TRACK_ENDED").isEqualTo(0x2L);
        }
    }
}
