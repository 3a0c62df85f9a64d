package moq.relay.wire.lite;

/**
 * One direction of one moq-lite stream: what its bytes are, in order. A stream's opener writes its STREAM_TYPE
 * first ({@link #opener()}); its peer's reply carries none. Group Streams and Fetch replies are data plane
 * ({@link LiteFrameDecoder}); everything else is read by {@link LiteControlStreamDecoder}.
 */
public enum LiteStreamSide
{
    /** Announce Stream, subscriber to publisher: type 0x1, one ANNOUNCE_PLEASE. */
    ANNOUNCE(LiteStreamType.ANNOUNCE, true),
    /** Announce Stream, publisher to subscriber: (lite-05) ANNOUNCE_OK, then ANNOUNCEs. */
    ANNOUNCE_REPLY(LiteStreamType.ANNOUNCE, false),
    /** Subscribe Stream, subscriber to publisher: type 0x2, SUBSCRIBE, then SUBSCRIBE_UPDATEs. */
    SUBSCRIBE(LiteStreamType.SUBSCRIBE, true),
    /** Subscribe Stream, publisher to subscriber: typed replies, the first a SUBSCRIBE_OK (lite-03/04). */
    SUBSCRIBE_REPLY(LiteStreamType.SUBSCRIBE, false),
    /** Fetch Stream, subscriber to publisher: type 0x3, one FETCH. */
    FETCH(LiteStreamType.FETCH, true),
    /** Fetch Stream, publisher to subscriber: FRAMEs (data plane). */
    FETCH_REPLY(LiteStreamType.FETCH, false),
    /** Probe Stream, opener's side: type 0x4, PROBEs (target bitrates). */
    PROBE(LiteStreamType.PROBE, true),
    /** Probe Stream, publisher's side: PROBEs (measured bitrate, lite-04+ RTT). */
    PROBE_REPLY(LiteStreamType.PROBE, false),
    /** Goaway Stream (lite-04), opener's side: type 0x5, one GOAWAY. */
    GOAWAY(LiteStreamType.GOAWAY, true),
    /** Track Stream (lite-05), subscriber to publisher: type 0x6, one TRACK. */
    TRACK(LiteStreamType.TRACK, true),
    /** Track Stream (lite-05), publisher to subscriber: one TRACK_INFO. */
    TRACK_REPLY(LiteStreamType.TRACK, false),
    /** Setup Stream (lite-05, unidirectional): type 0x1, one SETUP. */
    SETUP(LiteStreamType.SETUP, true),
    /** Group Stream (unidirectional): type 0x0, GROUP, FRAMEs (data plane). */
    GROUP(LiteStreamType.GROUP, true);

    private final int streamType;
    private final boolean opener;

    LiteStreamSide(final int streamType, final boolean opener)
    {
        this.streamType = streamType;
        this.opener = opener;
    }

    public int streamType()
    {
        return streamType;
    }

    /** True if these bytes start with the STREAM_TYPE (the side that opened the stream). */
    public boolean opener()
    {
        return opener;
    }

    /** Whether these bytes are frames (decoded by {@link LiteFrameDecoder}) rather than control messages. */
    public boolean dataPlane()
    {
        return this == GROUP || this == FETCH_REPLY;
    }

    /** Whether {@code version} has this stream at all. */
    public boolean existsIn(final LiteVersion version)
    {
        switch (this)
        {
            case GOAWAY:
                return version.goaway();
            case TRACK:
            case TRACK_REPLY:
                return version.trackStream();
            case SETUP:
                return version.setupStream();
            default:
                return true;
        }
    }
}
