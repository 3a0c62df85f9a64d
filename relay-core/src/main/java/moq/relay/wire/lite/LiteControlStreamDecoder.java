package moq.relay.wire.lite;

import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.data.StreamDecoder;
import org.agrona.DirectBuffer;

/**
 * Incremental decoder for one side of a moq-lite control stream ({@link LiteStreamSide}, every side but the data
 * plane's), fed from the stream's first byte in chunks of any size: the opener's STREAM_TYPE (checked), then
 * messages in the order the text allows, each handed to a {@link LiteMessageSink}. Any split of the same bytes gives
 * the same messages and the same error.
 *
 * <p>Order (moq-lite-03 §"Bidirectional Streams" and the lite-04/05 additions): Announce, one ANNOUNCE_PLEASE; its
 * reply, (lite-05) one ANNOUNCE_OK then ANNOUNCEs; Subscribe, one SUBSCRIBE then SUBSCRIBE_UPDATEs; its reply, typed
 * messages of which (lite-03/04) the first is a SUBSCRIBE_OK (§"Subscribe": "it is not valid to send a
 * SUBSCRIBE_DROP before SUBSCRIBE_OK"); Fetch, Goaway, Track and Setup, one message; Track reply, one TRACK_INFO;
 * Probe, PROBEs both ways. Bytes after a side's last message, a FIN inside a message, and an opener's FIN before its
 * first message are PROTOCOL_VIOLATIONs, except on a Probe Stream: {@code @moq/net} 0.3.4 opens one with its
 * STREAM_TYPE alone and only reads the publisher's reports, so a probe opener may send no PROBE at all. Anything
 * else the sink decides.
 *
 * <p>Memory: a message that lies whole in a chunk is decoded from the chunk. A split one is gathered in a scratch
 * buffer that grows with the bytes received and is charged to the {@link BufferBudget}; a Message Length above the
 * bound is refused as soon as it is read, before anything is buffered for it. If the budget refuses, the decoder
 * abandons the stream ({@link #abandoned()}: the caller resets it; the rest is ignored). Single-threaded.
 */
public final class LiteControlStreamDecoder implements StreamDecoder
{
    private static final int STATE_MESSAGES = 0;
    private static final int STATE_DONE = 1;
    private static final int STATE_ENDED = 2;
    private static final int STATE_FAILED = 3;
    private static final int STATE_ABANDONED = 4;
    /** Reply type + Message Length: two varints of at most 8 bytes. */
    private static final int MAX_FRAMING = 16;

    private final LiteCodec codec;
    private final LiteStreamSide side;
    private final LiteMessageSink sink;
    private final int maxMessageLength;
    private final LiteScratch scratch;
    private int scratchNeed;
    private int state = STATE_MESSAGES;
    private boolean typeRead;
    private int messages;

    /**
     * @param maxMessageLength largest Message Length accepted ({@link LiteLimits#DEFAULT_MAX_MESSAGE_LENGTH});
     *                         larger is a PROTOCOL_VIOLATION. Also bounds the scratch.
     * @throws IllegalArgumentException if {@code side} is data plane or does not exist in {@code version}.
     */
    public LiteControlStreamDecoder(final LiteVersion version, final LiteStreamSide side, final LiteMessageSink sink,
        final int maxMessageLength, final BufferBudget budget)
    {
        if (side.dataPlane() || !side.existsIn(version))
        {
            throw new IllegalArgumentException(side + " is not a control stream of " + version);
        }
        if (maxMessageLength < 1 || maxMessageLength > (1 << 24))
        {
            throw new IllegalArgumentException("maxMessageLength " + maxMessageLength);
        }
        this.codec = LiteCodec.of(version);
        this.side = side;
        this.sink = sink;
        this.maxMessageLength = maxMessageLength;
        this.scratch = new LiteScratch(maxMessageLength + MAX_FRAMING, budget);
        this.typeRead = !side.opener();
    }

    public LiteStreamSide side()
    {
        return side;
    }

    /** Messages decoded so far. */
    public int messages()
    {
        return messages;
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

    /** The stream is gone: gives back what the decoder holds. */
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
                if (state == STATE_DONE)
                {
                    throw WireException.protocolViolation("bytes after the last message of " + side);
                }
                if (scratch.length() == 0)
                {
                    final int result = parse(buffer, position, end - position);
                    if (result > 0)
                    {
                        position += result;
                        continue;
                    }
                    scratchNeed = -result;
                    if (!scratch.append(buffer, position, end - position, scratchNeed))
                    {
                        abandon();
                        return;
                    }
                    position = end;
                }
                else
                {
                    // Take what the unit needs (at least the framing, so a cut header is not re-parsed per byte).
                    final int target = Math.min(maxMessageLength + MAX_FRAMING, Math.max(scratchNeed, scratch.length() + MAX_FRAMING));
                    final int take = Math.min(target - scratch.length(), end - position);
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
                            // Surplus taken past the unit came from this chunk: read it again from there.
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

    /** FIN: clean only at a message boundary, and on an opener's side (but a Probe Stream's) after its first message. */
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
        final boolean clean = scratch.length() == 0 && (!side.opener() || messages > 0 || side == LiteStreamSide.PROBE);
        if (!clean)
        {
            state = STATE_FAILED;
            scratch.release();
            throw WireException.protocolViolation(scratch.length() > 0 ? "FIN inside a message of " + side
                : "FIN before the first message of " + side);
        }
        state = STATE_ENDED;
        scratch.release();
        sink.onEnd();
    }

    /** @return bytes consumed (> 0) by a complete unit, or minus the bytes the unit needs in all. */
    private int parse(final DirectBuffer buffer, final int offset, final int length) throws WireException
    {
        int position = offset;
        final int end = offset + length;
        if (!typeRead)
        {
            final int size = QuicVarint.size(buffer, position);
            if (size > length)
            {
                return -size;
            }
            final long type = QuicVarint.value(buffer, position);
            if (type != side.streamType())
            {
                throw WireException.protocolViolation(
                    "stream type 0x" + Long.toHexString(type) + " where " + side + " expects 0x" + Integer.toHexString(side.streamType()));
            }
            typeRead = true;
            return size;
        }
        LiteMessageKind kind = expected();
        if (kind == null)
        {
            // A Subscribe Stream reply: Type (i) before the Message Length.
            final int size = QuicVarint.size(buffer, position);
            if (size > end - position)
            {
                return -(position - offset + size);
            }
            kind = codec.replyKind(QuicVarint.value(buffer, position));
            if (messages == 0 && kind != LiteMessageKind.SUBSCRIBE_OK && !codec.version().subscribeStartEnd())
            {
                throw WireException.protocolViolation(kind + " before SUBSCRIBE_OK");
            }
            position += size;
        }
        final int lengthSize = position < end ? QuicVarint.size(buffer, position) : 1;
        if (lengthSize > end - position)
        {
            return -(position - offset + lengthSize);
        }
        final long messageLength = QuicVarint.value(buffer, position);
        if (messageLength > maxMessageLength)
        {
            throw WireException.protocolViolation(
                kind + " Message Length " + messageLength + " exceeds " + maxMessageLength);
        }
        position += lengthSize;
        final int bodyLength = (int)messageLength;
        if (bodyLength > end - position)
        {
            return -(position - offset + bodyLength);
        }
        final LiteMessage message = codec.decode(kind, buffer, position, bodyLength);
        messages++;
        if (single())
        {
            state = STATE_DONE;
        }
        sink.onMessage(message);
        return position + bodyLength - offset;
    }

    /** The next message's kind, or null for a typed Subscribe Stream reply. */
    private LiteMessageKind expected()
    {
        switch (side)
        {
            case ANNOUNCE:
                return LiteMessageKind.ANNOUNCE_PLEASE;
            case ANNOUNCE_REPLY:
                return messages == 0 && codec.version().announceOk() ? LiteMessageKind.ANNOUNCE_OK : LiteMessageKind.ANNOUNCE;
            case SUBSCRIBE:
                return messages == 0 ? LiteMessageKind.SUBSCRIBE : LiteMessageKind.SUBSCRIBE_UPDATE;
            case SUBSCRIBE_REPLY:
                return null;
            case FETCH:
                return LiteMessageKind.FETCH;
            case PROBE:
            case PROBE_REPLY:
                return LiteMessageKind.PROBE;
            case GOAWAY:
                return LiteMessageKind.GOAWAY;
            case TRACK:
                return LiteMessageKind.TRACK;
            case TRACK_REPLY:
                return LiteMessageKind.TRACK_INFO;
            case SETUP:
                return LiteMessageKind.SETUP;
            default:
                throw new IllegalStateException(side.name());
        }
    }

    /** Whether the side carries exactly one message. */
    private boolean single()
    {
        switch (side)
        {
            case ANNOUNCE:
            case FETCH:
            case GOAWAY:
            case TRACK:
            case TRACK_REPLY:
            case SETUP:
                return true;
            default:
                return false;
        }
    }

    private void abandon()
    {
        state = STATE_ABANDONED;
        scratch.release();
    }
}
