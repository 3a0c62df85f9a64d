package moq.relay.transport.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.transport.session.RecordingSessionFactory;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ReusePortTest
{
    private static final int CLIENTS = 8;

    @Test
    void clientsOfTwoReusePortSocketsAllConnectAndExchangeStreamData(@TempDir final Path certDir) throws Exception
    {
        assumeTrue(Epoll.isAvailable(), "SO_REUSEPORT needs the epoll transport");
        final ServerCertificate certificate = TestServers.certificate(certDir);
        final RecordingSessionFactory factory = new RecordingSessionFactory();
        final RelayServer server = TestServers.start(TestServers.settings(2, Duration.ZERO), certificate,
            SessionFactories.builder().register(SessionFactories.MOQT_18, factory).build());
        final List<QuicTestClient> clients = new ArrayList<>();
        try
        {
            for (int i = 0; i < CLIENTS; i++)
            {
                final QuicTestClient client = new QuicTestClient(certificate.leaf(), 5_000, "moqt-18");
                clients.add(client);
                final QuicTestClient.Connection connection = client.connect(server.localAddress());
                // A bidi stream echo proves short-header packets reach the codec that owns the connection,
                // whichever of the two sockets the kernel hashed them to.
                assertThat(echo(connection, "ping " + i)).isEqualTo("ping " + i);
            }
            AlpnRoutingTest.awaitSize(factory.opened, CLIENTS);
            final Set<Object> eventLoops = new HashSet<>();
            factory.opened.forEach(session -> eventLoops.add(session.connection.eventLoop()));
            assertThat(eventLoops).hasSizeBetween(1, 2);
            assertThat(server.sessionCount()).isEqualTo(CLIENTS);
        }
        finally
        {
            clients.forEach(QuicTestClient::close);
            server.close();
        }
    }

    private static String echo(final QuicTestClient.Connection connection, final String text) throws Exception
    {
        final CompletableFuture<String> reply = new CompletableFuture<>();
        final QuicStreamChannel stream = connection.channel().createStream(QuicStreamType.BIDIRECTIONAL,
            new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    // Ownership: this test handler consumes and releases the echoed bytes.
                    final ByteBuf buf = (ByteBuf)msg;
                    reply.complete(buf.toString(StandardCharsets.UTF_8));
                    buf.release();
                }
            }).sync().getNow();
        stream.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)).sync();
        return reply.get(5, TimeUnit.SECONDS);
    }
}
