package moq.relay.transport.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Test factory: records every connection it is handed and the GOAWAY calls of its sessions, and echoes bytes on
 * peer-opened streams so tests can prove post-handshake packets reach the connection.
 */
public final class RecordingSessionFactory implements SessionFactory
{
    private final boolean closeOnGoAway;
    public final List<Opened> opened = new CopyOnWriteArrayList<>();
    public final CountDownLatch goAways;

    /** @param expectedGoAways count of GOAWAY calls {@link #goAways} waits for. */
    public RecordingSessionFactory(final boolean closeOnGoAway, final int expectedGoAways)
    {
        this.closeOnGoAway = closeOnGoAway;
        this.goAways = new CountDownLatch(expectedGoAways);
    }

    public RecordingSessionFactory()
    {
        this(false, 0);
    }

    @Override
    public TransportSession open(final QuicChannel connection)
    {
        final Opened session = new Opened(connection, connection.sslEngine().getApplicationProtocol(),
            connection.eventLoop().inEventLoop());
        connection.pipeline().addLast(new EchoPeerStreams());
        opened.add(session);
        return session;
    }

    public final class Opened implements TransportSession
    {
        public final QuicChannel connection;
        public final String protocol;
        public final boolean openedOnEventLoop;
        public volatile boolean goAwayOnEventLoop;
        public volatile int goAwayCalls;

        Opened(final QuicChannel connection, final String protocol, final boolean openedOnEventLoop)
        {
            this.connection = connection;
            this.protocol = protocol;
            this.openedOnEventLoop = openedOnEventLoop;
        }

        @Override
        public void goAway(final String newSessionUri)
        {
            goAwayOnEventLoop = connection.eventLoop().inEventLoop();
            goAwayCalls++;
            goAways.countDown();
            if (closeOnGoAway)
            {
                connection.close();
            }
        }
    }

    /** Adds an echo handler to each peer-opened stream, then forwards it so the pipeline tail registers it. */
    private static final class EchoPeerStreams extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof QuicStreamChannel)
            {
                ((QuicStreamChannel)msg).pipeline().addLast(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void channelRead(final ChannelHandlerContext stream, final Object data)
                    {
                        if (data instanceof ByteBuf)
                        {
                            // Ownership of the received buffer passes on to the write, which releases it.
                            stream.writeAndFlush(data);
                            return;
                        }
                        stream.fireChannelRead(data);
                    }
                });
            }
            ctx.fireChannelRead(msg);
        }
    }
}
