package moq.relay.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamPriority;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One outgoing unidirectional data stream to one subscriber. Writes made before the stream exists (no stream
 * credit yet) queue here in order. Netty's QUIC stream sends on every write (one quiche send, one packet), so this
 * stream makes as few writes as it can: the SUBGROUP_HEADER goes in front of the first object, and {@link #finish}
 * with a last object sends it and the FIN as one frame. The FIN is always a frame behind the writes made so far,
 * never {@code shutdownOutput()}, which would send it at once and truncate what QUIC still holds.
 *
 * <p>Ownership: every buffer passed to {@link #write} or {@link #finish} belongs to this object until handed to the
 * channel (which releases it) or released here on reset.
 */
final class OutStream
{
    /** quiche's default urgency, not incremental: streams of one urgency are sent in stream-id order. */
    static final QuicStreamPriority SEQUENTIAL = new QuicStreamPriority(127, false);

    private final OutgoingSubscription subscription;
    /** The session's count of bytes written by the application but not yet handed to QUIC. */
    private final java.util.concurrent.atomic.AtomicLong queuedBytes;
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    private final ByteBufAllocator alloc;
    /** The encoded SUBGROUP_HEADER until it goes out in front of the first write (then null). */
    private byte[] streamHeader;
    private QuicStreamChannel channel;
    private boolean finRequested;
    private boolean reset;
    private int resetCode;

    /** Opens the stream now or once the peer grants credit; passes null if it cannot be opened (session closing). */
    interface Opener
    {
        void open(Consumer<QuicStreamChannel> onOpen);
    }

    OutStream(final OutgoingSubscription subscription, final Opener opener, final byte[] streamHeader,
        final ByteBufAllocator alloc, final java.util.concurrent.atomic.AtomicLong queuedBytes)
    {
        this.subscription = subscription;
        this.queuedBytes = queuedBytes;
        this.alloc = alloc;
        subscription.streamCount++;
        subscription.openStreams.add(this);
        this.streamHeader = streamHeader;
        opener.open(this::opened);
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
        // Subgroups leave one after the other, oldest first, rather than round-robin (quiche's default): a publisher
        // held back by flow control or loss otherwise spreads every group over seconds, and a relay sees dozens of
        // subgroups open at once (one relay subscription holds moq.relay.subscriber.max.open.subgroups).
        stream.updatePriority(SEQUENTIAL);
        if (reset)
        {
            releaseQueued();
            stream.shutdownOutput(resetCode);
            return;
        }
        boolean finSent = false;
        ByteBuf buf;
        while ((buf = queued.poll()) != null)
        {
            finSent = finRequested && queued.isEmpty(); // the last queued write carries the FIN
            send(stream, buf, finSent);
        }
        if (finRequested && !finSent)
        {
            send(stream, Unpooled.EMPTY_BUFFER, true);
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
        final ByteBuf out = withStreamHeader(buf);
        queuedBytes.addAndGet(out.readableBytes());
        if (channel == null)
        {
            queued.add(out);
            return;
        }
        send(channel, out, false);
    }

    /** The stream header, if not sent yet, in front of {@code buf} (one write); ownership of {@code buf} passes. */
    private ByteBuf withStreamHeader(final ByteBuf buf)
    {
        if (streamHeader == null)
        {
            return buf;
        }
        final ByteBuf header = alloc.directBuffer(streamHeader.length).writeBytes(streamHeader);
        streamHeader = null;
        return buf == null ? header : Unpooled.wrappedBuffer(2, header, buf);
    }

    /** Writes {@code buf} (counted in the queued bytes), with the FIN if {@code fin}; uncounts it once QUIC took it. */
    private void send(final QuicStreamChannel stream, final ByteBuf buf, final boolean fin)
    {
        final int length = buf.readableBytes();
        final ChannelFuture f = stream.writeAndFlush(fin ? new DefaultQuicStreamFrame(buf, true) : buf);
        if (length > 0)
        {
            f.addListener(done -> queuedBytes.addAndGet(-length));
        }
    }

    /** FIN behind every write so far. */
    void finish()
    {
        finish(null);
    }

    /** Writes {@code last} (may be null; ownership passes) and the FIN in the same frame, behind every write so far. */
    void finish(final ByteBuf last)
    {
        if (finRequested || reset)
        {
            if (last != null)
            {
                last.release();
            }
            return;
        }
        finRequested = true;
        subscription.openStreams.remove(this);
        // A subgroup without objects still carries its header.
        final ByteBuf out = withStreamHeader(last);
        if (out != null)
        {
            queuedBytes.addAndGet(out.readableBytes());
        }
        if (channel == null)
        {
            if (out != null)
            {
                queued.add(out);
            }
            return; // opened() sends the FIN with the last queued write
        }
        send(channel, out == null ? Unpooled.EMPTY_BUFFER : out, true);
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
