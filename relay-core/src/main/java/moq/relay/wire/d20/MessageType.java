package moq.relay.wire.d20;

/** Draft-20 control message type codes (draft-21 §9, Table 5). */
public final class MessageType
{
    public static final long SETUP = 0x2F00;
    public static final long GOAWAY = 0x10;
    public static final long SUBSCRIBE = 0x3;
    public static final long SUBSCRIBE_OK = 0x4;
    /** New in draft-20 (§9.10): publisher to subscriber on a subscription's stream, never answered. */
    public static final long PUBLISH_STATE_NOTIFY = 0x22;
    public static final long PUBLISH = 0x1D;
    public static final long PUBLISH_DONE = 0xB;
    public static final long FETCH = 0x16;
    public static final long FETCH_OK = 0x18;
    public static final long TRACK_STATUS = 0xD;
    public static final long PUBLISH_NAMESPACE = 0x6;
    public static final long SUBSCRIBE_NAMESPACE = 0x50;
    public static final long SUBSCRIBE_TRACKS = 0x51;
    public static final long NAMESPACE = 0x8;
    public static final long NAMESPACE_DONE = 0xE;
    /** Draft-18's PUBLISH_BLOCKED renamed (§9.19); same code and layout. */
    public static final long PUBLISH_SKIPPED = 0xF;
    public static final long REQUEST_UPDATE = 0x2;
    public static final long REQUEST_OK = 0x7;
    public static final long REQUEST_ERROR = 0x5;

    private MessageType()
    {
    }

    /** True for the messages that MUST open a new request stream (Table 5, "Request, First"). */
    public static boolean opensRequestStream(final long type)
    {
        return type == SUBSCRIBE || type == PUBLISH || type == FETCH || type == TRACK_STATUS ||
            type == PUBLISH_NAMESPACE || type == SUBSCRIBE_NAMESPACE || type == SUBSCRIBE_TRACKS;
    }
}
