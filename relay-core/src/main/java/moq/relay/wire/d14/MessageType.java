package moq.relay.wire.d14;

/**
 * Draft-14 control message types (§9, "Control Messages"). Anything else, including the reserved codes of
 * older versions (0x01, 0x40, 0x41), is unknown and closes the session with PROTOCOL_VIOLATION.
 */
public enum MessageType
{
    CLIENT_SETUP(0x20),
    SERVER_SETUP(0x21),
    GOAWAY(0x10),
    MAX_REQUEST_ID(0x15),
    REQUESTS_BLOCKED(0x1A),
    SUBSCRIBE(0x03),
    SUBSCRIBE_OK(0x04),
    SUBSCRIBE_ERROR(0x05),
    SUBSCRIBE_UPDATE(0x02),
    UNSUBSCRIBE(0x0A),
    PUBLISH_DONE(0x0B),
    PUBLISH(0x1D),
    PUBLISH_OK(0x1E),
    PUBLISH_ERROR(0x1F),
    FETCH(0x16),
    FETCH_OK(0x18),
    FETCH_ERROR(0x19),
    FETCH_CANCEL(0x17),
    TRACK_STATUS(0x0D),
    TRACK_STATUS_OK(0x0E),
    TRACK_STATUS_ERROR(0x0F),
    PUBLISH_NAMESPACE(0x06),
    PUBLISH_NAMESPACE_OK(0x07),
    PUBLISH_NAMESPACE_ERROR(0x08),
    PUBLISH_NAMESPACE_DONE(0x09),
    PUBLISH_NAMESPACE_CANCEL(0x0C),
    SUBSCRIBE_NAMESPACE(0x11),
    SUBSCRIBE_NAMESPACE_OK(0x12),
    SUBSCRIBE_NAMESPACE_ERROR(0x13),
    UNSUBSCRIBE_NAMESPACE(0x14);

    private static final MessageType[] BY_CODE = new MessageType[0x22];

    static
    {
        for (final MessageType t : values())
        {
            BY_CODE[(int)t.code] = t;
        }
    }

    private final long code;

    MessageType(final long code)
    {
        this.code = code;
    }

    public long code()
    {
        return code;
    }

    /** @return the type with this wire code, or null if draft-14 defines none. */
    public static MessageType ofCode(final long code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int)code] : null;
    }
}
