package moq.relay.transport.webtransport;

import moq.relay.transport.session.MoqTransport;

/**
 * One accepted WebTransport session (draft-ietf-webtrans-http3): the CONNECT stream that established it, its
 * streams and datagrams. {@link MoqTransport} is the part MoQT sessions use; this adds the request details.
 *
 * <p>Error codes given to {@link #close} and {@link #resetStream} are 32-bit WebTransport application codes.
 * Threading as for {@link MoqTransport}: call only on {@link #eventLoop()}.
 */
public interface WebTransportSession extends MoqTransport
{
    @Override
    default boolean overWebTransport()
    {
        return true;
    }

    /** The session ID: the stream id of the CONNECT stream. */
    long sessionId();

    /** The request {@code :path}. */
    String path();

    /** The request {@code :authority}. */
    String authority();

    /** The request's {@code origin}, or null when it had none (non-browser clients). */
    String origin();

    /** Sends WT_DRAIN_SESSION: asks the peer to finish up and close the session soon (draft-16 4.7). */
    void drain();
}
