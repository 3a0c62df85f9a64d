package moq.relay.transport.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import moq.relay.engine.MemoryBudget;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireException;
import moq.relay.wire.SessionError;
import moq.relay.wire.data.StreamDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Stream handler that cuts a control or request stream into framed control messages ({@code Type, Length(16),
 * Payload}) and hands each decoded message to its {@link Sink}: a {@link DecodingReader} (which releases every ByteBuf
 * it reads) whose decoder is the framing below.
 *
 * <p>Memory: at most one message is buffered, copied piece by piece as it arrives, so the buffer grows with the
 * bytes received (never to a length the peer merely declares) up to one whole message (65,535 payload bytes). Its
 * capacity is reserved from a {@link MemoryBudget} (the session's, whose parent is the relay's) before it grows, and
 * given back once the message is decoded or the stream goes; a refused reservation fails the session with
 * INTERNAL_ERROR (neither draft has a session-level EXCESSIVE_LOAD).
 */
public final class ControlMessageReader extends DecodingReader
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlMessageReader.class);

    /** Receives the messages of one stream, on its event loop. */
    public interface Sink
    {
        void onMessage(ControlMessage message) throws WireException;

        /** The peer finished (FIN) or the stream closed; called at most once. */
        void onEnd();
    }

    /** Fails the session with the error of malformed input. */
    public interface FailureHandler extends DecodingReader.Failures
    {
    }

    private ControlCodec codec;
    private final Sink sink;
    /** Type varint (at most 9 bytes) and the 16-bit length. */
    private static final int MAX_HEADER = 9 + 2;
    private static final int MAX_MESSAGE = MAX_HEADER + moq.relay.wire.Limits.MAX_CONTROL_PAYLOAD;
    /** A buffer this small is kept between messages (still reserved) rather than reallocated for each. */
    private static final int KEPT_CAPACITY = 256;
    private static final int MIN_CAPACITY = 16;

    private final MemoryBudget budget;
    /** The session's DEBUG line per message, or null (clients, tests). */
    private final ControlLog log;
    private final Frames frames = new Frames();
    private final UnsafeBuffer pending = new UnsafeBuffer(new byte[0]);
    private int pendingLength;
    private boolean ended;

    /** A reader whose buffer is not bounded beyond one message (clients, tests). */
    public ControlMessageReader(final ControlCodec codec, final Sink sink, final FailureHandler failure)
    {
        this(codec, sink, failure, MemoryBudget.UNLIMITED);
    }

    /** @param budget what this stream's buffer capacity is reserved from. */
    public ControlMessageReader(final ControlCodec codec, final Sink sink, final FailureHandler failure,
        final MemoryBudget budget)
    {
        this(codec, sink, failure, budget, null);
    }

    /** @param log where each decoded message is logged at DEBUG (a relay session's), or null. */
    public ControlMessageReader(final ControlCodec codec, final Sink sink, final FailureHandler failure,
        final MemoryBudget budget, final ControlLog log)
    {
        super(failure);
        this.codec = codec;
        this.sink = sink;
        this.budget = budget;
        this.log = log;
    }

    /**
     * Decodes every later message with {@code next}, a codec of the same draft (the framing stays): a session picks
     * the variant a peer needs once that peer's setup message has named it. Called from {@link Sink#onMessage}, it
     * already applies to the message after the one being handled, even one in the same read.
     */
    public void codec(final ControlCodec next)
    {
        if (next.draft() != codec.draft())
        {
            throw new IllegalArgumentException("a " + next.draft() + " codec cannot replace a " + codec.draft() +
                " one");
        }
        codec = next;
    }

    @Override
    protected StreamDecoder decoder()
    {
        return frames;
    }

    /** The framing: bytes gathered into {@link #pending} until a whole message is there, then decoded. */
    private final class Frames implements StreamDecoder
    {
        @Override
        public void onData(final DirectBuffer buffer, final int offset, final int length) throws WireException
        {
            int position = offset;
            final int end = offset + length;
            try
            {
                while (position < end && !stopped())
                {
                    final int wanted = wanted();
                    final int n = Math.min(end - position, wanted);
                    if (!ensureCapacity(pendingLength + n, pendingLength + wanted))
                    {
                        throw new WireException(SessionError.INTERNAL_ERROR, "partial control messages over " +
                            "budget: the session holds " + budget.usedBytes() + " of its " + budget.maxBytes() +
                            " bytes (or the relay-wide budget is spent)");
                    }
                    buffer.getBytes(position, pending.byteArray(), pendingLength, n);
                    position += n;
                    pendingLength += n;
                    final int messageLength = ControlFramer.frameLength(codec.draft().varint(), pending, 0,
                        pendingLength);
                    if (messageLength != ControlFramer.NEED_MORE)
                    {
                        pendingLength = 0;
                        deliver(messageLength);
                    }
                }
            }
            finally
            {
                if (pendingLength == 0 && pending.capacity() > KEPT_CAPACITY)
                {
                    resize(0);
                }
            }
        }

        @Override
        public boolean abandoned()
        {
            return false; // a refused reservation fails the session instead
        }

        @Override
        public void onFin()
        {
            // A partial message at FIN is the session's to judge (hasPartialMessage), at the stream's end.
        }

        /** The stream is gone: the buffer's bytes go back to the budget. */
        @Override
        public void close()
        {
            pendingLength = 0;
            if (pending.capacity() > 0)
            {
                resize(0);
            }
        }
    }

    /** Bytes that complete the header, or the message once the header is known. */
    private int wanted()
    {
        if (pendingLength == 0)
        {
            return 1;
        }
        final int typeSize = codec.draft().varint().sizeAt(pending, 0);
        if (pendingLength < typeSize + 2)
        {
            return typeSize + 2 - pendingLength;
        }
        final int payloadLength = ((pending.getByte(typeSize) & 0xFF) << 8) | (pending.getByte(typeSize + 1) & 0xFF);
        return typeSize + 2 + payloadLength - pendingLength;
    }

    /**
     * Grows the buffer to hold {@code needed} bytes once the budget grants it (false if it does not): doubling, so a
     * message trickled in packets is copied a few times only, but never beyond {@code target} (the message's whole
     * length once its header is known), so the capacity stays under twice the bytes received.
     */
    private boolean ensureCapacity(final int needed, final int target)
    {
        final int capacity = pending.capacity();
        if (needed <= capacity)
        {
            return true;
        }
        final int grown = Math.min(Math.min(MAX_MESSAGE, target), Math.max(needed, Math.max(MIN_CAPACITY,
            capacity * 2)));
        if (!budget.reserve(grown - capacity))
        {
            return false;
        }
        final byte[] bytes = new byte[grown];
        pending.getBytes(0, bytes, 0, pendingLength);
        pending.wrap(bytes);
        return true;
    }

    /** Replaces the buffer by one of {@code capacity} bytes (0 or less than before), giving the difference back. */
    private void resize(final int capacity)
    {
        final int released = pending.capacity() - capacity;
        pending.wrap(new byte[capacity]);
        budget.release(released);
    }

    /** Decodes the message of {@code length} bytes in {@link #pending} and hands it to the sink. */
    private void deliver(final int length) throws WireException
    {
        try
        {
            final ControlMessage message = codec.decode(pending, 0, length);
            if (log != null)
            {
                log.received(message);
            }
            sink.onMessage(message);
        }
        catch (final RuntimeException e)
        {
            // A local bug handling a valid message: close rather than leave the session half-working.
            LOG.error("failed to handle a control message", e);
            throw new WireException(SessionError.INTERNAL_ERROR, e.toString());
        }
    }

    @Override
    protected void atFin(final ChannelHandlerContext ctx)
    {
        end();
    }

    @Override
    protected void gone(final ChannelHandlerContext ctx)
    {
        // A stream that goes inactive because its whole connection is closing was not ended by the peer: the
        // session hears of the connection close itself, with its real reason, so report nothing here.
        final Channel connection = ctx.channel().parent();
        if (connection == null || connection.isActive())
        {
            end();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A reset stream surfaces here; the inactive event that follows reports the end.
        end();
    }

    private void end()
    {
        if (!ended)
        {
            ended = true;
            if (!stopped())
            {
                sink.onEnd();
            }
        }
    }

    /** True if a partial message is buffered (the peer closed mid-message). */
    public boolean hasPartialMessage()
    {
        return pendingLength > 0;
    }
}
