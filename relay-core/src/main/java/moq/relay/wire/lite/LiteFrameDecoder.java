package moq.relay.wire.lite;

import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.data.StreamDecoder;
import org.agrona.DirectBuffer;

/**
 * Incremental decoder for moq-lite's data plane: a Group Stream (moq-lite-03 §"Group": STREAM_TYPE 0x0, a GROUP
 * message, FRAMEs) or a Fetch Stream's reply (§"Fetch": FRAMEs with no GROUP before them), fed from the first byte in
 * chunks of any size. One instance per stream, {@link #reset} for the next; nothing is allocated per chunk or per
 * frame. Any split of the same bytes yields the same callbacks and the same error.
 *
 * <p>A FRAME is {@code [Timestamp Delta (i), lite-05] Message Length (i) Payload}: the payload is never buffered,
 * each chunk's share goes to {@link LiteFrameHandler#onPayload} as a view. A header cut between chunks (the GROUP
 * message, a frame's one or two varints: at most 32 bytes) is gathered in a scratch that grows with the bytes that
 * arrived, charged to the {@link BufferBudget}; if the budget refuses, the stream is given up ({@link #abandoned()}),
 * as {@code moq.relay.wire.data.DataStreamDecoder} does. A GROUP Message Length that cannot be two varints (over 16)
 * is refused when read. A frame's length is not bounded here: the ingest compares it with what the store takes.
 *
 * <p>The session classifies a unidirectional stream by its type and hands a Group Stream here from byte 0 (the
 * type is read again). After a {@link WireException} the decoder rejects input until {@link #reset}.
 * Single-threaded: one decoder belongs to the event loop that owns the stream.
 */
public final class LiteFrameDecoder implements StreamDecoder
{
    /** What the stream is. */
    public enum Mode
    {
        /** A unidirectional Group Stream from its STREAM_TYPE. */
        GROUP,
        /** The publisher's side of a Fetch Stream: FRAMEs only. */
        FETCH_REPLY
    }

    /** STREAM_TYPE + GROUP's length and two varints, or a frame's two varints, each at most 8 bytes. */
    private static final int MAX_HEADER = 32;
    private static final int MAX_GROUP_BODY = 16;

    private static final int STATE_GROUP = 0;
    private static final int STATE_FRAME = 1;
    private static final int STATE_PAYLOAD = 2;
    private static final int STATE_ENDED = 3;
    private static final int STATE_FAILED = 4;
    private static final int STATE_ABANDONED = 5;

    private final LiteFrameHandler handler;
    private final LiteScratch scratch;
    private LiteVersion version;
    private Mode mode;
    private int state;
    private int scratchNeed;
    private long payloadRemaining;
    private long timestamp;

    public LiteFrameDecoder(final LiteVersion version, final Mode mode, final LiteFrameHandler handler,
        final BufferBudget budget)
    {
        this.handler = handler;
        this.scratch = new LiteScratch(MAX_HEADER, budget);
        reset(version, mode);
    }

    /** Readies the decoder for a new stream; keeps its scratch (still charged). */
    public void reset(final LiteVersion version, final Mode mode)
    {
        this.version = version;
        this.mode = mode;
        state = mode == Mode.GROUP ? STATE_GROUP : STATE_FRAME;
        scratch.clear();
        scratchNeed = 0;
        payloadRemaining = 0;
        timestamp = 0;
    }

    public LiteVersion version()
    {
        return version;
    }

    /** True between a frame header and its last payload byte. */
    public boolean inPayload()
    {
        return state == STATE_PAYLOAD;
    }

    /** True once the budget refused the scratch: the rest of the stream is ignored. */
    public boolean abandoned()
    {
        return state == STATE_ABANDONED;
    }

    /** Bytes this decoder holds (its scratch), all charged to its budget. */
    public int heldBytes()
    {
        return scratch.capacity();
    }

    /** The stream is gone (closed or reset mid-way): gives back what the decoder holds. */
    public void close()
    {
        scratch.release();
    }

    @Override
    public void onData(final DirectBuffer buffer, final int offset, final int length) throws WireException
    {
        if (state == STATE_ABANDONED)
        {
            return;
        }
        if (state >= STATE_ENDED)
        {
            throw WireException.protocolViolation(state == STATE_ENDED ? "data after FIN" : "stream already failed");
        }
        try
        {
            int position = offset;
            final int end = offset + length;
            while (position < end)
            {
                if (state == STATE_PAYLOAD)
                {
                    final int available = end - position;
                    final int n = payloadRemaining < available ? (int)payloadRemaining : available;
                    handler.onPayload(buffer, position, n);
                    position += n;
                    payloadRemaining -= n;
                    if (payloadRemaining == 0)
                    {
                        state = STATE_FRAME;
                        handler.onFrameEnd();
                    }
                }
                else if (scratch.length() == 0)
                {
                    final int result = parse(buffer, position, end - position);
                    if (result > 0)
                    {
                        position += result;
                    }
                    else
                    {
                        scratchNeed = -result;
                        if (!scratch.append(buffer, position, end - position, scratchNeed))
                        {
                            abandon();
                            return;
                        }
                        position = end;
                    }
                }
                else
                {
                    final int take = Math.min(MAX_HEADER - scratch.length(), end - position);
                    if (!scratch.append(buffer, position, take, scratchNeed))
                    {
                        abandon();
                        return;
                    }
                    position += take;
                    if (scratch.length() >= scratchNeed)
                    {
                        final int held = scratch.length();
                        final int result = parse(scratch.buffer(), 0, held);
                        if (result > 0)
                        {
                            position -= held - result;
                            scratch.clear();
                        }
                        else
                        {
                            scratchNeed = -result;
                        }
                    }
                }
            }
        }
        catch (final WireException e)
        {
            state = STATE_FAILED;
            scratch.release();
            throw e;
        }
    }

    /** FIN: clean only at a frame boundary after the GROUP message (a FIN inside either is a PROTOCOL_VIOLATION). */
    public void onFin() throws WireException
    {
        if (state == STATE_ABANDONED)
        {
            return;
        }
        if (state >= STATE_ENDED)
        {
            throw WireException.protocolViolation(state == STATE_ENDED ? "second FIN" : "stream already failed");
        }
        if (state != STATE_FRAME || scratch.length() > 0)
        {
            final String where = state == STATE_GROUP ? "the GROUP message" : "a frame";
            state = STATE_FAILED;
            scratch.release();
            throw WireException.protocolViolation("FIN inside " + where);
        }
        state = STATE_ENDED;
        handler.onStreamEnd();
    }

    /** @return bytes consumed (> 0) by a complete header, or minus the bytes it needs in all. */
    private int parse(final DirectBuffer buffer, final int offset, final int length) throws WireException
    {
        return state == STATE_GROUP ? parseGroup(buffer, offset, length) : parseFrame(buffer, offset, length);
    }

    private int parseGroup(final DirectBuffer buffer, final int offset, final int length) throws WireException
    {
        final int end = offset + length;
        int position = offset;
        int size = QuicVarint.size(buffer, position);
        if (size > end - position)
        {
            return -size;
        }
        final long type = QuicVarint.value(buffer, position);
        if (type != LiteStreamType.GROUP)
        {
            throw WireException.protocolViolation("stream type 0x" + Long.toHexString(type) + " is not a Group Stream");
        }
        position += size;
        if (position == end)
        {
            return -(position - offset + 1);
        }
        size = QuicVarint.size(buffer, position);
        if (size > end - position)
        {
            return -(position - offset + size);
        }
        final long messageLength = QuicVarint.value(buffer, position);
        if (messageLength > MAX_GROUP_BODY)
        {
            throw WireException.protocolViolation("GROUP Message Length " + messageLength + " is not two varints");
        }
        position += size;
        final int bodyEnd = position + (int)messageLength;
        if (bodyEnd > end)
        {
            return -(bodyEnd - offset);
        }
        final long subscribeId = varintIn(buffer, position, bodyEnd, "GROUP Subscribe ID");
        position += QuicVarint.size(buffer, position);
        final long sequence = varintIn(buffer, position, bodyEnd, "GROUP Group Sequence");
        position += QuicVarint.size(buffer, position);
        if (position != bodyEnd)
        {
            throw WireException.protocolViolation("GROUP: " + (bodyEnd - position) + " unexpected trailing bytes");
        }
        state = STATE_FRAME;
        handler.onGroup(subscribeId, sequence);
        return bodyEnd - offset;
    }

    private static long varintIn(final DirectBuffer buffer, final int position, final int end, final String what)
        throws WireException
    {
        if (position >= end || QuicVarint.size(buffer, position) > end - position)
        {
            throw WireException.protocolViolation(what + " truncated by the Message Length");
        }
        return QuicVarint.value(buffer, position);
    }

    private int parseFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int position = offset;
        long delta = 0;
        if (version.frameTimestamps())
        {
            final int size = QuicVarint.size(buffer, position);
            if (size > end - position)
            {
                return -size;
            }
            delta = QuicVarint.value(buffer, position);
            position += size;
            if (position == end)
            {
                return -(position - offset + 1);
            }
        }
        final int size = QuicVarint.size(buffer, position);
        if (size > end - position)
        {
            return -(position - offset + size);
        }
        final long frameLength = QuicVarint.value(buffer, position);
        position += size;
        timestamp += unzigzag(delta);
        handler.onFrame(frameLength, timestamp);
        if (frameLength == 0)
        {
            handler.onFrameEnd();
        }
        else
        {
            payloadRemaining = frameLength;
            state = STATE_PAYLOAD;
        }
        return position - offset;
    }

    /** Zigzag: 0, -1, 1, -2 ... encoded as 0, 1, 2, 3 ... */
    public static long unzigzag(final long value)
    {
        return (value >>> 1) ^ -(value & 1);
    }

    /** The zigzag varint value of a signed delta; its magnitude must fit a 62-bit varint. */
    public static long zigzag(final long delta)
    {
        return (delta << 1) ^ (delta >> 63);
    }

    private void abandon()
    {
        state = STATE_ABANDONED;
        scratch.release();
    }
}
