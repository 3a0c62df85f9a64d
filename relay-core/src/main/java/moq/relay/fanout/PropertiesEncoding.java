package moq.relay.fanout;

/**
 * The encoding of Object Properties a writer sends ({@link ObjectWriter#propertiesEncoding()}): the track log keeps
 * each object's properties as its publisher encoded them, and an egress loop converts them for a writer of the other
 * encoding ({@link WriterProperties}).
 */
public enum PropertiesEncoding
{
    /** Whatever the log holds, unconverted: writers that do not look inside (tests, recorders). */
    AS_STORED,
    /** Draft 14's Extension Headers: absolute Types, RFC 9000 varints. */
    DRAFT_14,
    /** Drafts 18 and 20 (and the relay's own properties): delta-coded Types, leading-ones varints. */
    DRAFT_18
}
