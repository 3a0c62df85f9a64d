package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Draft-18: a raw peer opens subgroup streams before its SETUP. No subscription can exist on a session without SETUP,
 * so their Track Alias names nothing: the relay reads and discards them at once (holding none of their bytes, not
 * waiting for the alias as it does after SETUP), does not close
 * the session, and forwards none of their objects anywhere; the session then works normally after SETUP.
 */
class EarlyDataStreamTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private TrackPublisher track;
    private Received received;

    @BeforeEach
    void start() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        track = publisher.track(NS, TRACK, 100);
        received = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
    }

    /** A subgroup stream for {@code alias} (the one the real publisher's track has on its own session, 0). */
    private static ByteBuf subgroupStream(final long alias, final long group, final int objects, final int size)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64 + objects * (size + 32)]);
        final SubgroupStreamEncoder e = new SubgroupStreamEncoder(Draft.DRAFT_18);
        int p = e.writeHeader(Draft.DRAFT_18, b, 0, SubgroupHeaderType.ALWAYS_SET, alias, group, 0, 7);
        for (int o = 0; o < objects; o++)
        {
            p += e.writeObject(b, p, o, ObjectStatus.NORMAL, null, 0, 0, size);
            for (int i = 0; i < size; i++)
            {
                b.putByte(p++, (byte)0x5A);
            }
        }
        return Unpooled.wrappedBuffer(b.byteArray(), 0, p);
    }

    private static QuicStreamChannel open(final QuicTestClient.Connection c, final QuicStreamType type)
        throws Exception
    {
        return c.channel().createStream(type, new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
    }

    @Test
    void subgroupStreamsBeforeSetupAreDiscardedWithoutHarm() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            // One finished early stream, one left open mid-object, and 16 more: ~160 KB before any SETUP.
            open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(subgroupStream(0, 0, 5, 100))
                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            final ByteBuf partial = subgroupStream(0, 1, 2, 1000);
            open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(partial.retainedSlice(0, partial.readableBytes() - 10));
            partial.release();
            for (int i = 0; i < 16; i++)
            {
                open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(subgroupStream(0, 2 + i, 10, 1000))
                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
            Thread.sleep(300);
            assertThat(c.peerClose()).as("early data streams are not a session error").isNotDone();

            final WireWriter w = new WireWriter(Draft.DRAFT_18.varint());
            Draft18ControlCodec.INSTANCE.encode(Setup.of(), w);
            open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(Unpooled.copiedBuffer(w.buffer().byteArray(), 0,
                w.position()));
            RelayFixture.await(() -> relay.server.sessionCount() == 3, "the early peer's session");
            // After SETUP, another stream for an alias that names nothing is dropped the same way.
            open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(subgroupStream(0, 100, 3, 10))
                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            Thread.sleep(200);
            assertThat(c.peerClose()).isNotDone();

            // The real track flows untouched: only its own objects, none of the early peer's (payload 0x5A..).
            RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(2, 5, 9), 0);
            RelayFixture.await(() -> received.normalObjects() == 10, "the real track's two groups");
            RelayEndToEndTest.assertDelivered(received, RelayEndToEndTest.script(2, 5, 9), 0);
            Thread.sleep(100);
            assertThat(received.ids).as("nothing but the real track's objects")
                .allSatisfy(id -> assertThat(id[0]).isLessThan(2));
            assertThat(relay.server.sessionCount()).isEqualTo(3);
            c.channel().close().await(5, TimeUnit.SECONDS);
        }
        RelayFixture.await(() -> relay.server.sessionCount() == 2, "the early peer's session to end");
    }
}
