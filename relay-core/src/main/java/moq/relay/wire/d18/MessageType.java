package moq.relay.wire.d18;

/** Draft-18 control message type codes (§"Control Messages", message type table). */
public final class MessageType
{
    public static final long SETUP = 0x2F00;
    public static final long GOAWAY = 0x10;
    public static final long SUBSCRIBE = 0x3;
    public static final long SUBSCRIBE_OK = 0x4;
    public static final long PUBLISH = 0x1D;
    /**
     * Listed in the draft-18 table as PUBLISH_OK with the REQUEST_OK layout, while the REQUEST_OK text calls
     * PUBLISH_OK a REQUEST_OK (0x7). Accepted on receive as a REQUEST_OK, never sent (draft-19 reserves it).
     */
    public static final long PUBLISH_OK_LEGACY = 0x1E;
    public static final long PUBLISH_DONE = 0xB;
    public static final long FETCH = 0x16;
    public static final long FETCH_OK = 0x18;
    public static final long TRACK_STATUS = 0xD;
    public static final long PUBLISH_NAMESPACE = 0x6;
    public static final long SUBSCRIBE_NAMESPACE = 0x50;
    public static final long SUBSCRIBE_TRACKS = 0x51;
    public static final long NAMESPACE = 0x8;
    public static final long NAMESPACE_DONE = 0xE;
    public static final long PUBLISH_BLOCKED = 0xF;
    public static final long REQUEST_UPDATE = 0x2;
    public static final long REQUEST_OK = 0x7;
    public static final long REQUEST_ERROR = 0x5;

    private MessageType()
    {
    }

    /** True for the messages that MUST open a new request stream (table column "Request, First"). */
    public static boolean opensRequestStream(final long type)
    {
        return type == SUBSCRIBE || type == PUBLISH || type == FETCH || type == TRACK_STATUS ||
            type == PUBLISH_NAMESPACE || type == SUBSCRIBE_NAMESPACE || type == SUBSCRIBE_TRACKS;
    }
}
