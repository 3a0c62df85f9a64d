package moq.relay.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.transport.session.UniStreamClassifier;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.transport.tls.ServerTlsContext;
import moq.relay.wire.QuicVarint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19 (many small streams): a server that closes each of its peer's unidirectional streams once it has read the
 * stream's FIN, on a real loopback QUIC connection (netty server, netty client). netty's own close tries to send a FIN
 * on the receive-only stream, quiche refuses, and netty runs a connection send for it, in the middle of the read that
 * delivered the FIN: a packet leaves during the close (the ACK of the packet being read). The relay's closes send
 * nothing during the close: its stream readers' close at FIN ({@code DecodingReader}, here {@link UniStreamClassifier}
 * at a keep-alive's FIN, as for moq-lite Group Streams and the client's data streams) and {@link
 * ReceiveOnlyStreamClose} itself (the subgroup ingest's close). Each counts the packets the server's connection sent
 * ({@code QuicConnectionStats.sent}) across each close, on the event loop; and in each the peer opens five times
 * the server's stream limit one stream after another, so every closed stream still gives its credit back.
 */
class ReceiveOnlyStreamCloseTest
{
    private static final String ALPN = "h19-test";
    /** The server's initial unidirectional stream limit. */
    private static final int STREAM_LIMIT = 4;
    private static final int STREAMS = 5 * STREAM_LIMIT;

    @TempDir
    Path certDir;

    private final EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private Channel serverSocket;
    private QuicTestClient client;

    /** Streams the server closed at their FIN, and packets its connection sent while closing them. */
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger closesThatSent = new AtomicInteger();
    private final AtomicLong packetsSentInCloses = new AtomicLong();
    private final AtomicInteger leftOpen = new AtomicInteger();

    @AfterEach
    void stop()
    {
        if (client != null)
        {
            client.close();
        }
        if (serverSocket != null)
        {
            serverSocket.close().awaitUninterruptibly();
        }
        serverGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    @Test
    void theRelaysStreamReaderClosesAFinishedStreamWithoutSending() throws Exception
    {
        assertThat(ReceiveOnlyStreamClose.supported()).as("netty's finSent field found").isTrue();

        run(() -> new UniStreamClassifier(QuicVarint.INSTANCE, type -> null), false);

        assertClosedWithoutSending();
    }

    @Test
    void receiveOnlyStreamCloseSendsNothingDuringTheClose() throws Exception
    {
        assertThat(ReceiveOnlyStreamClose.supported()).as("netty's finSent field found").isTrue();

        run(() -> new ClosesAtFin(ReceiveOnlyStreamClose::close), true);

        assertClosedWithoutSending();
    }

    /** The control: netty's close of the same streams sends during the close, so the tests above can fail. */
    @Test
    void nettysOwnCloseSendsDuringTheClose() throws Exception
    {
        run(() -> new ClosesAtFin(ChannelHandlerContext::close), true);

        assertThat(closed.get()).as("streams closed at their FIN").isEqualTo(STREAMS);
        assertThat(leftOpen.get()).as("streams still open after the close").isZero();
        assertThat(closesThatSent.get()).as("closes during which netty's connection send sent a packet")
            .isGreaterThan(STREAMS / 2);
    }

    private void assertClosedWithoutSending()
    {
        assertThat(closed.get()).as("streams closed at their FIN").isEqualTo(STREAMS);
        assertThat(leftOpen.get()).as("streams still open after the close").isZero();
        assertThat(packetsSentInCloses.get()).as("packets sent during the closes (netty's refused FIN's send)")
            .isZero();
    }

    /**
     * The client opens {@link #STREAMS} streams one after another, each a byte and FIN ({@code withData}) or only a
     * FIN, and waits for each to be closed by the server's {@code reader}.
     */
    private void run(final Supplier<ChannelHandler> reader, final boolean withData) throws Exception
    {
        final ServerCertificate certificate = TestServers.certificate(certDir);
        serverSocket = new Bootstrap().group(serverGroup).channel(NioDatagramChannel.class)
            .handler(new QuicServerCodecBuilder()
                .sslContext(ServerTlsContext.create(certificate, List.of(ALPN)))
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .maxIdleTimeout(10, TimeUnit.SECONDS)
                .initialMaxData(1 << 20)
                .initialMaxStreamDataUnidirectional(1 << 16)
                .initialMaxStreamsUnidirectional(STREAM_LIMIT)
                .handler(new ChannelInboundHandlerAdapter())
                .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .streamHandler(new ChannelInitializer<QuicStreamChannel>()
                {
                    @Override
                    protected void initChannel(final QuicStreamChannel stream)
                    {
                        stream.pipeline().addLast(new CountsSendsInClose(), reader.get());
                    }
                })
                .build())
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        client = new QuicTestClient(certificate.leaf(), 10_000, ALPN);
        final QuicChannel connection = client.connect((InetSocketAddress)serverSocket.localAddress()).channel();

        for (int i = 0; i < STREAMS; i++)
        {
            final QuicStreamChannel stream = openWithCredit(connection);
            stream.writeAndFlush(new DefaultQuicStreamFrame(
                withData ? Unpooled.wrappedBuffer(new byte[] {(byte)i}) : Unpooled.EMPTY_BUFFER, true)).sync();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (closed.get() <= i && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertThat(closed.get()).as("stream %d closed by the server", i).isEqualTo(i + 1);
        }
    }

    /** A new unidirectional stream, retried until the server's MAX_STREAMS has given the client credit for it. */
    private static QuicStreamChannel openWithCredit(final QuicChannel connection) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            final Future<QuicStreamChannel> open =
                connection.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter()).await();
            if (open.isSuccess())
            {
                return open.getNow();
            }
            assertThat(System.nanoTime()).as("stream credit back from the server (%s)", open.cause())
                .isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    /** First in the stream's pipeline: counts the packets sent while the FIN goes on to the reader, which closes. */
    private final class CountsSendsInClose extends ChannelInboundHandlerAdapter
    {
        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (!(evt instanceof ChannelInputShutdownEvent))
            {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            final QuicChannel connection = (QuicChannel)ctx.channel().parent();
            final long before = connection.collectStats().getNow().sent();
            ctx.fireUserEventTriggered(evt);
            final long sent = connection.collectStats().getNow().sent() - before;
            packetsSentInCloses.addAndGet(sent);
            if (sent > 0)
            {
                closesThatSent.incrementAndGet();
            }
            if (ctx.channel().isOpen())
            {
                leftOpen.incrementAndGet();
            }
            closed.incrementAndGet();
        }
    }

    /** Reads and drops the stream's bytes; closes it at its FIN with {@code close}. */
    private static final class ClosesAtFin extends ChannelInboundHandlerAdapter
    {
        private final Consumer<ChannelHandlerContext> close;

        ClosesAtFin(final Consumer<ChannelHandlerContext> close)
        {
            this.close = close;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof ChannelInputShutdownEvent)
            {
                close.accept(ctx);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
