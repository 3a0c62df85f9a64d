package moq.relay.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One group's unidirectional stream from the ceiling sender to one subscriber. Writes made before QUIC has opened
 * the stream queue here in order. FIN goes from the listener of the last write (shutting down earlier would cut
 * the writes still queued in the channel). Used on the generator's event loop only.
 */
final class CeilingStream
{
    /** Below this many queued bytes a stream still being opened counts as writable. */
    private static final int PENDING_WRITABLE_BYTES = 64 * 1024;

    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private long pendingBytes;
    private QuicStreamChannel channel;
    private boolean finRequested;
    private boolean failed;

    CeilingStream(final QuicChannel connection, final EventLoop generatorLoop)
    {
        connection.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter()).addListener(f ->
        {
            if (generatorLoop.inEventLoop())
            {
                opened(f.isSuccess() ? (QuicStreamChannel)f.getNow() : null);
            }
            else
            {
                generatorLoop.execute(() -> opened(f.isSuccess() ? (QuicStreamChannel)f.getNow() : null));
            }
        });
    }

    private void opened(final QuicStreamChannel stream)
    {
        if (stream == null)
        {
            failed = true;
            pending.forEach(ReferenceCountUtil::release);
            pending.clear();
            return;
        }
        channel = stream;
        ByteBuf b;
        while ((b = pending.poll()) != null)
        {
            if (pending.isEmpty() && finRequested)
            {
                stream.writeAndFlush(b).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                return;
            }
            stream.write(b, stream.voidPromise());
        }
        stream.flush();
        pendingBytes = 0;
    }

    /** Takes ownership of {@code b}. */
    void write(final ByteBuf b)
    {
        if (channel != null)
        {
            channel.write(b, channel.voidPromise());
        }
        else if (failed)
        {
            b.release();
        }
        else
        {
            pendingBytes += b.readableBytes();
            pending.add(b);
        }
    }

    /** Writes {@code last} (ownership passes) and FIN after it. */
    void finish(final ByteBuf last)
    {
        if (channel != null)
        {
            channel.writeAndFlush(last).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
        else
        {
            write(last);
            finRequested = true;
        }
    }

    void flush()
    {
        if (channel != null)
        {
            channel.flush();
        }
    }

    /** Whether QUIC (flow and congestion control) takes more now: what a plain sender waits for. */
    boolean writable()
    {
        return channel != null ? channel.isWritable() : !failed && pendingBytes < PENDING_WRITABLE_BYTES;
    }
}
