package moq.relay.wire.data;

import moq.relay.wire.Draft;

/**
 * What a unidirectional stream carries, from its first varint. Deciding what to do with an unknown type
 * (close the session, or ignore the stream) is the session layer's business; this only classifies.
 */
public enum StreamType
{
    /** SUBGROUP_HEADER: draft-18 0b0XX1XXXX minus SUBGROUP_ID_MODE 0b11; draft-14 0x10-0x15, 0x18-0x1D. */
    SUBGROUP,
    /** FETCH_HEADER, 0x05 in both drafts. */
    FETCH,
    /** Draft-18 SETUP on its own unidirectional stream (0x2F00). */
    SETUP,
    /** Draft-18 padding stream (0x132B3E28, §"Padding Streams"): discard everything on it. */
    PADDING,
    UNKNOWN;

    public static final long FETCH_HEADER_TYPE = 0x05;
    public static final long SETUP_STREAM_TYPE = 0x2F00;
    public static final long PADDING_STREAM_TYPE = 0x132B3E28L;
    public static final long PADDING_DATAGRAM_TYPE = 0x132B3E29L;

    public static StreamType of(final Draft draft, final long firstVarint)
    {
        if (firstVarint == FETCH_HEADER_TYPE)
        {
            return FETCH;
        }
        if (SubgroupHeaderType.isValid(draft, firstVarint))
        {
            return SUBGROUP;
        }
        if (draft.atLeast(18))
        {
            if (firstVarint == SETUP_STREAM_TYPE)
            {
                return SETUP;
            }
            if (firstVarint == PADDING_STREAM_TYPE)
            {
                return PADDING;
            }
        }
        return UNKNOWN;
    }
}
