package moq.relay.transport.session;

/**
 * One MoQT (or WebTransport) session that owns a QUIC connection, as seen by the transport layer. The draft-14 and
 * draft-18 state machines (and the WebTransport adapter) implement it; the transport only needs the shutdown hooks.
 *
 * <p>Threading: every method is called on the connection's event loop ({@code connection.eventLoop()}), the same
 * thread that runs the connection's pipeline, so implementations need no locking against their own handlers.
 */
public interface TransportSession
{
    /**
     * The relay is shutting down: send GOAWAY (with {@code newSessionUri}, empty to mean "reconnect to the same
     * URI") and stop accepting new requests; keep serving the ones in flight until the peer closes or the server's
     * drain timeout closes the connection. Called at most once.
     *
     * @param newSessionUri where the peer should reconnect; empty when the relay has no successor to name.
     */
    void goAway(String newSessionUri);

    /**
     * Application error code the server closes the connection with when the drain timeout expires after
     * {@link #goAway(String)}. MoQT sessions use GOAWAY_TIMEOUT (0x10); HTTP/3 would use H3_NO_ERROR (0x100).
     */
    default int goAwayTimeoutErrorCode()
    {
        return GOAWAY_TIMEOUT;
    }

    /**
     * True while the connection still waits for the peer to set it up in a way the server's setup deadline
     * ({@code moq.relay.session.setup.timeout}) enforces; when the deadline finds it true the server closes the
     * connection with {@link #setupTimeoutErrorCode()}. MoQT sessions enforce their own SETUP deadline (they close
     * with the draft's code and log it), so the default is false; HTTP/3 waits for its first WebTransport CONNECT.
     */
    default boolean awaitsSetup()
    {
        return false;
    }

    /** Application error code of a close for a missed setup deadline (see {@link #awaitsSetup()}). */
    default int setupTimeoutErrorCode()
    {
        return CONTROL_MESSAGE_TIMEOUT;
    }

    /** MoQT CONTROL_MESSAGE_TIMEOUT session error code, the same in drafts 14 and 18. */
    int CONTROL_MESSAGE_TIMEOUT = 0x11;

    /** MoQT GOAWAY_TIMEOUT session error code, the same in drafts 14 and 18. */
    int GOAWAY_TIMEOUT = 0x10;
}
