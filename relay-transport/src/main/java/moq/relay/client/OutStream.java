package moq.relay.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayDeque;

/**
 * One outgoing unidirectional data stream to one subscriber. Writes made before the stream exists (no stream
 * credit yet) queue here in order. FIN is sent from the listener of the last write, never while writes are still
 * queued in the stream channel: shutting down early sends the FIN at once and truncates the stream.
 *
 * <p>Ownership: every buffer passed to {@link #write} belongs to this object until handed to the channel (which
 * releases it) or released here on reset.
 */
final class OutStream
{
    private final OutgoingSubscription subscription;
    /** The session's count of bytes written by the application but not yet handed to QUIC. */
    private final java.util.concurrent.atomic.AtomicLong queuedBytes;
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    private QuicStreamChannel channel;
    private ChannelFuture lastWrite;
    private boolean finRequested;
    private boolean reset;
    private int resetCode;

    OutStream(final OutgoingSubscription subscription, final StreamOpener opener, final ByteBuf streamHeader,
        final java.util.concurrent.atomic.AtomicLong queuedBytes)
    {
        this.subscription = subscription;
        this.queuedBytes = queuedBytes;
        queuedBytes.addAndGet(streamHeader.readableBytes());
        subscription.streamCount++;
        subscription.openStreams.add(this);
        queued.add(streamHeader);
        opener.open(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter(), this::opened);
    }

    private void opened(final QuicStreamChannel stream)
    {
        if (stream == null)
        {
            releaseQueued();
            subscription.openStreams.remove(this);
            return;
        }
        channel = stream;
        if (reset)
        {
            releaseQueued();
            stream.shutdownOutput(resetCode);
            return;
        }
        ByteBuf buf;
        while ((buf = queued.poll()) != null)
        {
            lastWrite = send(stream, buf, false);
        }
        stream.flush();
        if (finRequested)
        {
            fin();
        }
    }

    /** Takes ownership of {@code buf}. */
    void write(final ByteBuf buf)
    {
        if (reset || finRequested)
        {
            buf.release();
            return;
        }
        queuedBytes.addAndGet(buf.readableBytes());
        if (channel == null)
        {
            queued.add(buf);
            return;
        }
        lastWrite = send(channel, buf, true);
    }

    /** Writes {@code buf} (counted in the queued bytes) and uncounts it once QUIC has taken it. */
    private ChannelFuture send(final QuicStreamChannel stream, final ByteBuf buf, final boolean flush)
    {
        final int length = buf.readableBytes();
        final ChannelFuture f = flush ? stream.writeAndFlush(buf) : stream.write(buf);
        f.addListener(done -> queuedBytes.addAndGet(-length));
        return f;
    }

    /** FIN once every write so far has been handed to QUIC. */
    void finish()
    {
        if (finRequested || reset)
        {
            return;
        }
        finRequested = true;
        if (channel != null)
        {
            fin();
        }
    }

    private void fin()
    {
        subscription.openStreams.remove(this);
        if (lastWrite == null)
        {
            channel.shutdownOutput();
        }
        else
        {
            lastWrite.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
    }

    /** RESET_STREAM with {@code code}, dropping what is queued. */
    void reset(final int code)
    {
        if (reset)
        {
            return;
        }
        reset = true;
        resetCode = code;
        subscription.openStreams.remove(this);
        releaseQueued();
        if (channel != null)
        {
            channel.shutdownOutput(code);
        }
    }

    private void releaseQueued()
    {
        ByteBuf buf;
        while ((buf = queued.poll()) != null)
        {
            queuedBytes.addAndGet(-buf.readableBytes());
            buf.release();
        }
    }
}
