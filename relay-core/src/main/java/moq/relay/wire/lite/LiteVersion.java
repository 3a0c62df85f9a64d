package moq.relay.wire.lite;

/**
 * A moq-lite version. From moq-lite-03 on the version is the ALPN token on raw QUIC and the {@code wt-protocol} on
 * WebTransport (moq-lite-03 §"Session"); no version code travels in-band. The codecs take one of these and differ
 * only where a later draft changed an encoding; each predicate names the draft that introduced the change.
 *
 * <p>Sources: moq-lite-03 is implemented from the text ({@code draft-lcurley-moq-lite-03}); moq-lite-04 and -05 from
 * the texts in the public {@code moq-dev/drafts} repository as implemented by the pinned browser library
 * {@code @moq/net} 0.3.4 ({@code lite/*.js}), which is what browsers speak. Where the two differ, the library wins
 * and the package documentation says so.
 */
public enum LiteVersion
{
    LITE_03("moq-lite-03", 3),
    LITE_04("moq-lite-04", 4),
    LITE_05("moq-lite-05", 5);

    private final String alpn;
    private final int number;

    LiteVersion(final String alpn, final int number)
    {
        this.alpn = alpn;
        this.number = number;
    }

    /** The ALPN token (raw QUIC) and WebTransport protocol name. */
    public String alpn()
    {
        return alpn;
    }

    public int number()
    {
        return number;
    }

    /** The version named by an ALPN / {@code wt-protocol} token, or null if it is none of these. */
    public static LiteVersion ofAlpn(final String alpn)
    {
        for (final LiteVersion v : values())
        {
            if (v.alpn.equals(alpn))
            {
                return v;
            }
        }
        return null;
    }

    /** PROBE carries an RTT (ms) after the bitrate. lite-04. */
    public boolean probeRtt()
    {
        return number >= 4;
    }

    /** ANNOUNCE carries the hop chain's origin ids (lite-03: the hop count only). lite-04. */
    public boolean hopIds()
    {
        return number >= 4;
    }

    /** ANNOUNCE_PLEASE carries an Exclude Hop origin id. lite-04 and lite-05 only (removed again in lite-06). */
    public boolean excludeHop()
    {
        return number == 4 || number == 5;
    }

    /** The Goaway bidirectional stream (0x5) with its GOAWAY message. lite-04. */
    public boolean goaway()
    {
        return number >= 4;
    }

    /** Each endpoint opens a unidirectional Setup Stream (0x1) carrying one SETUP. lite-05. */
    public boolean setupStream()
    {
        return number >= 5;
    }

    /** An Announce Stream's reply starts with ANNOUNCE_OK; ANNOUNCE may carry status 2 (restart). lite-05. */
    public boolean announceOk()
    {
        return number >= 5;
    }

    /**
     * The Subscribe Stream's reply is SUBSCRIBE_START / SUBSCRIBE_END / SUBSCRIBE_DROP (types 0, 1, 2) instead of
     * SUBSCRIBE_OK / SUBSCRIBE_DROP (types 0, 1). lite-05.
     */
    public boolean subscribeStartEnd()
    {
        return number >= 5;
    }

    /** The Track Stream (0x6): TRACK answered by TRACK_INFO. lite-05. */
    public boolean trackStream()
    {
        return number >= 5;
    }

    /** Every FRAME is preceded by a zigzag varint timestamp delta (in the track's timescale). lite-05. */
    public boolean frameTimestamps()
    {
        return number >= 5;
    }

    /** Single-frame groups may travel as QUIC datagrams. lite-05. */
    public boolean datagrams()
    {
        return number >= 5;
    }

    @Override
    public String toString()
    {
        return alpn;
    }
}
