package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.transport.quic.TurnSends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19: netty sends on every stream write, so an egress turn that writes several small objects to a stream (a
 * subscriber catching up, full-speed fan-out) made a packet, part-filled, and a {@code sendmsg} per object, and as many
 * ACKs came back, each costing netty's scan of the connection's writable streams. Inside a {@link TurnSends} turn the
 * connection sends once, at the turn's end, the objects packed into full packets; outside a turn, and after it, a
 * write sends at once as before. (quiche puts one stream's frame in a packet, so objects on different streams still
 * take a packet each; the turn then saves the system calls only, which GSO makes one.) Real loopback QUIC connection to
 * the relay, packets counted at the writing side's UDP channel.
 */
class TurnSendsTest
{
    private static final int OBJECTS = 20;
    private static final int OBJECT_BYTES = 100;

    @TempDir
    static Path certDir;

    private RelayFixture relay;
    private QuicTestClient client;
    private QuicChannel connection;
    private final DatagramCounter sent = new DatagramCounter();

    @BeforeEach
    void start() throws Exception
    {
        relay = new RelayFixture(certDir);
        client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18");
        connection = client.connect(relay.server.localAddress()).channel();
        connection.parent().pipeline().addFirst(sent);
    }

    @AfterEach
    void stop()
    {
        client.close();
        relay.close();
    }

    @Test
    void objectsWrittenInOneTurnLeaveInFullPacketsAtTheTurnsEnd() throws Exception
    {
        final QuicStreamChannel[] streams = oneStream();
        final int[] counts = connection.eventLoop().submit(() ->
        {
            final int before = sent.packets;
            final TurnSends turn = TurnSends.begin();
            int duringTurn;
            try
            {
                writeEach(streams);
                duringTurn = sent.packets - before;
            }
            finally
            {
                turn.end();
            }
            final int turnTotal = sent.packets - before;
            // The connection is not left held back: a write outside a turn sends at once (same task: nothing read
            // from the relay in between).
            streams[0].writeAndFlush(object(), streams[0].voidPromise());
            return new int[] {duringTurn, turnTotal, sent.packets - before - turnTotal};
        }).get(10, TimeUnit.SECONDS);

        assertThat(counts[0]).as("packets sent before the turn's end").isZero();
        // 20 x 100 B on one stream fit two packets (a part-filled one each before: 20 packets).
        assertThat(counts[1]).as("packets for %d objects", OBJECTS).isBetween(1, 3);
        assertThat(counts[2]).as("packets of one write after the turn").isPositive();
    }

    @Test
    void outsideATurnEachWriteSendsAtOnce() throws Exception
    {
        final QuicStreamChannel[] streams = oneStream();
        final int packets = connection.eventLoop().submit(() ->
        {
            final int before = sent.packets;
            writeEach(streams);
            return sent.packets - before;
        }).get(10, TimeUnit.SECONDS);
        assertThat(packets).as("netty's own behaviour: a packet per write").isGreaterThanOrEqualTo(OBJECTS);
    }

    /** {@link #OBJECTS} writes, all to one stream. */
    private QuicStreamChannel[] oneStream() throws Exception
    {
        final QuicStreamChannel stream = connection.createStream(QuicStreamType.UNIDIRECTIONAL,
            new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        final QuicStreamChannel[] writes = new QuicStreamChannel[OBJECTS];
        java.util.Arrays.fill(writes, stream);
        return writes;
    }

    private static void writeEach(final QuicStreamChannel[] streams)
    {
        for (final QuicStreamChannel s : streams)
        {
            TurnSends.writing(s.parent()); // as the relay's stream handler does for each write
            s.writeAndFlush(object(), s.voidPromise());
        }
    }

    private static ByteBuf object()
    {
        // Not valid MoQT: the relay may close the connection afterwards; only the sender's packets count here.
        return Unpooled.directBuffer(OBJECT_BYTES).writeZero(OBJECT_BYTES);
    }

    /** Counts the QUIC packets the UDP channel is asked to send (the test client is NIO: one packet per write). */
    private static final class DatagramCounter extends ChannelOutboundHandlerAdapter
    {
        int packets;

        @Override
        public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
        {
            if (msg instanceof DatagramPacket)
            {
                packets++;
            }
            ctx.write(msg, promise);
        }
    }
}
