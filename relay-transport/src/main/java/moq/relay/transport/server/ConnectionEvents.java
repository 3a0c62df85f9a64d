package moq.relay.transport.server;

/**
 * What happens to QUIC connections before they carry a session, for metrics: handshakes that failed and connections
 * refused, with a short reason label. Called on the connection's event loop: must not block.
 */
public interface ConnectionEvents
{
    /** Reports nothing. */
    ConnectionEvents NONE = new ConnectionEvents()
    {
    };

    /**
     * A QUIC connection was created from a client's first Initial packet: quiche has read its ClientHello, so the
     * relay has paid for a TLS handshake (key exchange, signature) whether or not it then refuses the connection.
     */
    default void handshakeStarted()
    {
    }

    /**
     * An Initial packet that would have created a connection was dropped before quiche read it (no handshake, no
     * state): {@code connection_limit}. Counts datagrams: a refused client retransmits its Initial until it gives up.
     */
    default void initialDropped(final String reason)
    {
    }

    /**
     * A dropped Initial was answered with a stateless CONNECTION_CLOSE (CONNECTION_REFUSED): the client learns of the
     * refusal at once. Counted apart from {@link #initialDropped}, which counts every dropped Initial.
     */
    default void initialRefusedWithClose()
    {
    }

    /** Why a handshake failed: {@code tls} (the TLS handshake failed), {@code timeout} (never completed). */
    default void handshakeFailed(final String reason)
    {
    }

    /**
     * A connection was refused before it carried a session: {@code connection_limit}, {@code no_session_handler} (an
     * ALPN nothing serves), {@code shutting_down}, {@code open_failed}.
     */
    default void refused(final String reason)
    {
    }

    /** A connection's session did not complete its setup in time (the router's deadline, e.g. HTTP/3 without CONNECT). */
    default void setupTimedOut()
    {
    }
}
