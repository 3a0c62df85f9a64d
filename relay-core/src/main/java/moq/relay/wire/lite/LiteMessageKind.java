package moq.relay.wire.lite;

/** Which message a stream position holds: moq-lite messages carry no type, so the stream's state says. */
public enum LiteMessageKind
{
    ANNOUNCE_PLEASE,
    ANNOUNCE,
    ANNOUNCE_OK,
    SUBSCRIBE,
    SUBSCRIBE_UPDATE,
    SUBSCRIBE_OK,
    SUBSCRIBE_START,
    SUBSCRIBE_END,
    SUBSCRIBE_DROP,
    FETCH,
    PROBE,
    GOAWAY,
    SETUP,
    TRACK,
    TRACK_INFO
}
