package moq.relay.engine;

/**
 * The kinds of request a session makes of the engine, as {@link RelayObserver} reports them; the one request-kind enum
 * of the relay, also what names a draft-14 answer's message (each kind has its own OK and ERROR there).
 */
public enum RequestKind
{
    PUBLISH_NAMESPACE,
    PUBLISH,
    SUBSCRIBE,
    REQUEST_UPDATE,
    FETCH,
    TRACK_STATUS,
    SUBSCRIBE_NAMESPACE,
    SUBSCRIBE_TRACKS;

    /** Lower-case label for metrics and logs ({@code subscribe_namespace}). */
    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
