package moq.relay.transport.webtransport;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import moq.relay.transport.session.MoqTransport;

/**
 * Test application: on open it sends a server-opened uni stream "hello &lt;protocol&gt;"; it echoes bidi streams
 * (at FIN; a stream reading "close:CODE:REASON" closes the session instead, "bidi:TEXT" makes the server open a
 * bidi stream carrying TEXT, "reset:CODE" resets it with that application code), answers each uni stream with a server-opened uni stream "echo:TEXT", and echoes
 * datagrams. Everything it sees is recorded for assertions.
 */
final class EchoApplication implements WebTransportApplication
{
    /** What one session saw. */
    static final class Recorded
    {
        final WebTransportSession session;
        final BlockingQueue<String> uniReceived = new LinkedBlockingQueue<>();
        final BlockingQueue<String> bidiReceived = new LinkedBlockingQueue<>();
        final BlockingQueue<String> serverBidiAnswers = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> drainRequested = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        volatile int datagrams;

        Recorded(final WebTransportSession session)
        {
            this.session = session;
        }
    }

    final BlockingQueue<Recorded> sessions = new LinkedBlockingQueue<>();

    @Override
    public MoqTransport.Listener sessionOpened(final WebTransportSession session)
    {
        final Recorded recorded = new Recorded(session);
        sessions.add(recorded);
        sendUni(session, "hello " + session.protocol());
        return new MoqTransport.Listener()
        {
            @Override
            public void streamOpened(final QuicStreamChannel stream)
            {
                stream.pipeline().addLast(new WholeStream(text ->
                {
                    if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
                    {
                        recorded.uniReceived.add(text);
                        sendUni(session, "echo:" + text);
                        return;
                    }
                    recorded.bidiReceived.add(text);
                    if (text.startsWith("close:"))
                    {
                        final String[] parts = text.split(":", 3);
                        session.close(Long.parseLong(parts[1]), parts[2]);
                    }
                    else if (text.startsWith("reset:"))
                    {
                        session.resetStream(stream, Long.parseLong(text.substring(6)));
                    }
                    else if (text.startsWith("bidi:"))
                    {
                        session.openStream(QuicStreamType.BIDIRECTIONAL, new WholeStream(recorded.serverBidiAnswers::add))
                            .addListener(f -> ((QuicStreamChannel)f.getNow()).writeAndFlush(utf8(text.substring(5)))
                                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT));
                        stream.writeAndFlush(utf8("ok")).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                    }
                    else
                    {
                        stream.writeAndFlush(utf8(text)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                    }
                }));
            }

            @Override
            public void datagramReceived(final ByteBuf payload)
            {
                recorded.datagrams++;
                session.sendDatagram(payload); // ownership passes on
            }

            @Override
            public void drainRequested()
            {
                recorded.drainRequested.complete(null);
            }

            @Override
            public void closed(final long applicationErrorCode, final String reason)
            {
                recorded.closed.complete(applicationErrorCode + ":" + reason);
            }
        };
    }

    static void sendUni(final WebTransportSession session, final String text)
    {
        session.openStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter()).addListener(f ->
        {
            if (f.isSuccess())
            {
                ((QuicStreamChannel)f.getNow()).writeAndFlush(utf8(text)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
        });
    }

    static ByteBuf utf8(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    /** Collects a stream's bytes and calls back with the text at FIN. Releases what it reads. */
    static final class WholeStream extends ChannelInboundHandlerAdapter
    {
        private final Consumer<String> atFin;
        private final ByteBuf bytes = Unpooled.buffer();

        WholeStream(final Consumer<String> atFin)
        {
            this.atFin = atFin;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            bytes.writeBytes(buf);
            buf.release();
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof ChannelInputShutdownEvent)
            {
                final String text = bytes.toString(StandardCharsets.UTF_8);
                bytes.release();
                atFin.accept(text);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
