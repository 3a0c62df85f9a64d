package moq.relay.session;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import moq.relay.transport.session.MoqTransport;

/**
 * A {@link MoqTransport} below which nothing is sent: streams are {@link EmbeddedQuicStream}s, opened at once and
 * listed in {@link #streams} for the benchmark to drain. Datagrams are released on arrival.
 */
final class EmbeddedMoqTransport implements MoqTransport
{
    final List<EmbeddedQuicStream> streams = new ArrayList<>();
    private final EventLoop eventLoop;
    private long nextStreamId = 3;

    EmbeddedMoqTransport(final EventLoop eventLoop)
    {
        this.eventLoop = eventLoop;
    }

    @Override
    public String protocol()
    {
        return "moqt-18";
    }

    @Override
    public SocketAddress peerAddress()
    {
        return null;
    }

    @Override
    public EventLoop eventLoop()
    {
        return eventLoop;
    }

    @Override
    public Future<QuicStreamChannel> openStream(final QuicStreamType type, final ChannelHandler handler)
    {
        final EmbeddedQuicStream stream = new EmbeddedQuicStream(nextStreamId);
        nextStreamId += 4;
        stream.pipeline().addLast(handler);
        streams.add(stream);
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(stream);
    }

    @Override
    public boolean sendDatagram(final ByteBuf payload)
    {
        payload.release();
        return true;
    }

    @Override
    public int maxDatagramPayloadSize()
    {
        return 1200;
    }

    @Override
    public void resetStream(final QuicStreamChannel stream, final long applicationErrorCode)
    {
        stream.close();
    }

    @Override
    public long applicationErrorCode(final long wireErrorCode)
    {
        return wireErrorCode;
    }

    @Override
    public void close(final long applicationErrorCode, final String reason)
    {
    }

    @Override
    public Future<Void> closeFuture()
    {
        return ImmediateEventExecutor.INSTANCE.newPromise();
    }
}
