package moq.relay.wire.lite;

/**
 * The STREAM_TYPE varint that starts every stream (moq-lite-03 §"STREAM_TYPE", §"Bidirectional Streams",
 * §"Unidirectional Streams"). Bidirectional and unidirectional types are separate spaces: 0x1 is an Announce Stream
 * when bidirectional and (lite-05) a Setup Stream when unidirectional. An unknown type is not fatal: the receiver
 * resets that stream only (§"STREAM_TYPE"), which is how extensions are probed.
 */
public final class LiteStreamType
{
    /** Bidirectional, opened by the subscriber: ANNOUNCE_PLEASE, answered by ANNOUNCE messages. */
    public static final int ANNOUNCE = 0x1;
    /** Bidirectional, opened by the subscriber: SUBSCRIBE, answered by SUBSCRIBE_OK / SUBSCRIBE_DROP. */
    public static final int SUBSCRIBE = 0x2;
    /** Bidirectional, opened by the subscriber: FETCH, answered by FRAMEs. */
    public static final int FETCH = 0x3;
    /** Bidirectional, opened by the subscriber: PROBE both ways. */
    public static final int PROBE = 0x4;
    /** Bidirectional, opened by either endpoint: GOAWAY. lite-04. */
    public static final int GOAWAY = 0x5;
    /** Bidirectional, opened by the subscriber: TRACK, answered by TRACK_INFO. lite-05. */
    public static final int TRACK = 0x6;

    /** Unidirectional, opened by the publisher: GROUP then FRAMEs. */
    public static final int GROUP = 0x0;
    /** Unidirectional, opened by each endpoint once: SETUP. lite-05. */
    public static final int SETUP = 0x1;

    private LiteStreamType()
    {
    }

    /** Whether {@code version} defines bidirectional stream type {@code type}; others are reset, not fatal. */
    public static boolean knownBidi(final LiteVersion version, final long type)
    {
        if (type == ANNOUNCE || type == SUBSCRIBE || type == FETCH || type == PROBE)
        {
            return true;
        }
        return type == GOAWAY ? version.goaway() : type == TRACK && version.trackStream();
    }

    /** Whether {@code version} defines unidirectional stream type {@code type}; others are reset, not fatal. */
    public static boolean knownUni(final LiteVersion version, final long type)
    {
        return type == GROUP || type == SETUP && version.setupStream();
    }
}
