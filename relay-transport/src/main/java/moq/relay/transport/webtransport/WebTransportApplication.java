package moq.relay.transport.webtransport;

import moq.relay.transport.session.MoqTransport;

/**
 * The application WebTransport sessions are handed to (the MoQT session layer, or a test application).
 *
 * <p>Threading: called on the session's event loop, like every callback of the returned listener.
 */
@FunctionalInterface
public interface WebTransportApplication
{
    /**
     * A session was accepted (its 200 response is written). Streams and datagrams that arrived before are delivered
     * to the returned listener right after this call returns.
     *
     * @return the listener of the session's streams, datagrams, drain and close; never null.
     */
    MoqTransport.Listener sessionOpened(WebTransportSession session);
}
