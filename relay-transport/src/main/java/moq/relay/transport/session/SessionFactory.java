package moq.relay.transport.session;

import io.netty.handler.codec.quic.QuicChannel;

/**
 * Creates the session for a QUIC connection whose TLS handshake negotiated this factory's ALPN protocol
 * (registered in {@link SessionFactories}).
 *
 * <p>Contract:
 * <ul>
 *   <li>Called once per connection, on the connection's event loop, from {@code channelActive}: the handshake is
 *   complete and {@code connection.sslEngine().getApplicationProtocol()} is the protocol the factory was
 *   registered for.</li>
 *   <li>The factory installs its handlers with {@code connection.pipeline().addLast(..)}; they then receive the
 *   {@code channelActive} event and everything after it. Peer-opened streams arrive as {@link
 *   io.netty.handler.codec.quic.QuicStreamChannel} messages with an empty pipeline: add the stream's handlers,
 *   then <em>always</em> {@code ctx.fireChannelRead(stream)} (the pipeline tail registers the stream; swallowing the
 *   message leaves it unregistered). QUIC DATAGRAMs arrive as {@code ByteBuf}s whose ownership passes to the
 *   handler that consumes them (release or forward). The {@code QuicDatagramExtensionEvent} (usable datagram
 *   size), which QUIC fires before {@code channelActive}, is replayed to the factory's handlers just before
 *   {@code channelActive}.</li>
 *   <li>Throwing closes the connection with INTERNAL_ERROR and logs the exception.</li>
 * </ul>
 */
@FunctionalInterface
public interface SessionFactory
{
    /**
     * @param connection the connection, active and handshaken; the session owns it from now on.
     * @return the session, which the server keeps for GOAWAY on shutdown until the connection closes.
     */
    TransportSession open(QuicChannel connection) throws Exception;
}
