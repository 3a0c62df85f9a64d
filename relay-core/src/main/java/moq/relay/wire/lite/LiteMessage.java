package moq.relay.wire.lite;

import moq.relay.wire.QuicVarint;

/**
 * One moq-lite control message. moq-lite messages carry no type of their own (except the replies on a Subscribe
 * Stream): which message comes next follows from the stream type and the side, so decoding is driven by
 * {@link LiteStreamSide}. Immutable; control messages are rare, so they may allocate. Group and frame headers are
 * not messages here: the data plane ({@link LiteFrameDecoder}) parses them without allocating.
 */
public sealed interface LiteMessage permits AnnouncePlease, Announce, AnnounceOk, Subscribe, SubscribeUpdate,
    SubscribeOk, SubscribeStart, SubscribeEnd, SubscribeDrop, Fetch, Probe, Goaway, Setup, TrackRequest, TrackInfo
{
    /** The message's name as the text spells it, e.g. {@code SUBSCRIBE_OK}. */
    String name();

    static long checkVarint(final long value, final String what)
    {
        if (value < 0 || value > QuicVarint.MAX_VALUE)
        {
            throw new IllegalArgumentException(what + " " + value + " is not a 62-bit varint");
        }
        return value;
    }

    static int checkU8(final int value, final String what)
    {
        if (value < 0 || value > 0xFF)
        {
            throw new IllegalArgumentException(what + " " + value + " is not a u8");
        }
        return value;
    }

    static String checkString(final String value, final String what)
    {
        if (value == null)
        {
            throw new IllegalArgumentException(what + " is null");
        }
        return value;
    }
}
