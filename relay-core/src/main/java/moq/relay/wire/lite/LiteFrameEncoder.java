package moq.relay.wire.lite;

import moq.relay.wire.QuicVarint;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the data plane's headers (the payload is written beside them, zero-copy, by the caller): a Group Stream's
 * STREAM_TYPE and GROUP message, and each FRAME's {@code [Timestamp Delta] Message Length}. Allocation-free; the
 * caller keeps the previous frame's timestamp for lite-05's deltas.
 */
public final class LiteFrameEncoder
{
    /** Most bytes {@link #groupStreamHeader} writes. */
    public static final int MAX_GROUP_STREAM_HEADER = 1 + 1 + 16;
    /** Most bytes {@link #frameHeader} writes. */
    public static final int MAX_FRAME_HEADER = 16;

    private LiteFrameEncoder()
    {
    }

    /** STREAM_TYPE 0x0 and GROUP {@code {subscribeId, sequence}} (moq-lite-03 §"GROUP"); returns bytes written. */
    public static int groupStreamHeader(final MutableDirectBuffer buffer, final int offset, final long subscribeId,
        final long sequence)
    {
        int position = offset;
        position += QuicVarint.write(buffer, position, LiteStreamType.GROUP);
        position += QuicVarint.write(buffer, position, QuicVarint.length(subscribeId) + QuicVarint.length(sequence));
        position += QuicVarint.write(buffer, position, subscribeId);
        position += QuicVarint.write(buffer, position, sequence);
        return position - offset;
    }

    /**
     * A FRAME's header for {@code length} payload bytes (moq-lite-03 §"FRAME"); on lite-05 preceded by the zigzag
     * delta from {@code previousTimestamp} (0 for a stream's first frame) to {@code timestamp}.
     *
     * @return bytes written.
     */
    public static int frameHeader(final MutableDirectBuffer buffer, final int offset, final LiteVersion version,
        final long length, final long timestamp, final long previousTimestamp)
    {
        int position = offset;
        if (version.frameTimestamps())
        {
            position += QuicVarint.write(buffer, position, LiteFrameDecoder.zigzag(timestamp - previousTimestamp));
        }
        position += QuicVarint.write(buffer, position, length);
        return position - offset;
    }
}
