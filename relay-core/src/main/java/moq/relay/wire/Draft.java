package moq.relay.wire;

/**
 * A MoQT draft the relay speaks. The draft is a property of the session: it picks the varint scheme, the
 * control codec and the data-plane layouts. Adding a draft means adding a constant and its codecs.
 */
public enum Draft
{
    /** draft-ietf-moq-transport-14: ALPN moq-00, RFC 9000 varints, bidi control stream, version in CLIENT_SETUP. */
    DRAFT_14(14, 0xff00000EL, "moq-00", QuicVarint.INSTANCE),
    /** draft-ietf-moq-transport-18: ALPN moqt-18, leading-ones varints, uni SETUP streams, a bidi stream per request. */
    DRAFT_18(18, 0xff000012L, "moqt-18", MoqtVarint.INSTANCE),
    /**
     * draft-ietf-moq-transport-20: ALPN moqt-20, draft-18's framing (leading-ones varints, uni SETUP streams, a bidi
     * stream per request) with its own control codec ({@code moq.relay.wire.d20}); draft-21 is its editorial rewrite.
     */
    DRAFT_20(20, 0xff000014L, "moqt-20", MoqtVarint.INSTANCE);

    private final int number;
    private final long version;
    private final String alpn;
    private final Varint varint;

    Draft(final int number, final long version, final String alpn, final Varint varint)
    {
        this.number = number;
        this.version = version;
        this.alpn = alpn;
        this.varint = varint;
    }

    public int number()
    {
        return number;
    }

    /** Version code: 0xff000000 + draft number. */
    public long version()
    {
        return version;
    }

    /** ALPN on raw QUIC; for draft-18 and later also the WebTransport protocol token. */
    public String alpn()
    {
        return alpn;
    }

    public Varint varint()
    {
        return varint;
    }

    /**
     * True for draft {@code number} and later. Drafts 18 and 20 share every data-plane layout but draft-20's End of
     * Timed-Out Range (and the shared ones are what {@code atLeast(18)} selects in {@code moq.relay.wire.data}).
     */
    public boolean atLeast(final int number)
    {
        return this.number >= number;
    }

    public static Draft ofNumber(final int number)
    {
        for (final Draft d : values())
        {
            if (d.number == number)
            {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported draft " + number + " (supported: 14, 18, 20)");
    }
}
