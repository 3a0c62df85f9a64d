package moq.relay.transport.quic;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;

/**
 * Decides at a new connection's first Initial packet, before quiche reads it, whether the connection may exist: one
 * it refuses costs the relay no TLS key exchange or signature and no connection state.
 *
 * <p>It is the server codec's {@link QuicTokenHandler}, for the call netty 4.2.18 makes exactly there: the codec
 * calls {@link #writeToken} only for an Initial without a token whose destination connection id maps to no
 * connection, i.e. one that would create a connection (a handshaking connection's further Initials, retransmissions
 * included, map to it by their original id and never come here). Refusing throws: the codec then drops the
 * datagram (its {@code handleQuicPacket} logs the exception at debug and releases the packet), sending nothing.
 * The relay mints no tokens (no Retry: a round trip for every client), so an Initial carrying a token is dropped
 * as by netty's default handler.
 *
 * <p>Netty 4.2.18 has no way to send a stateless CONNECTION_CLOSE (through quiche it needs a connection, i.e. the
 * handshake the drop avoids), so the relay builds one itself: {@link InitialRefusals} answers the dropped Initial
 * with CONNECTION_REFUSED, rate-limited, and the client fails at once instead of at its handshake timeout. Beyond
 * that rate the Initial goes unanswered; either way a flood costs the relay no connection and no TLS.
 *
 * <p>Threading: called on the event loop of the socket the packet arrived on; {@link Policy} must be thread-safe
 * (every socket's codec shares it). Allocates nothing unless a refusal is answered.
 */
public final class InitialAdmission implements QuicTokenHandler
{
    /** Whether a new connection from an address may be created now. */
    @FunctionalInterface
    public interface Policy
    {
        /** Admits every connection (the relay's limits then act only once the connection exists). */
        Policy ALL = sender -> true;

        /** @return false to drop the Initial packet that would create a connection from {@code sender}. */
        boolean admits(InetSocketAddress sender);
    }

    /** Thrown to the codec to make it drop the datagram; preallocated, no stack trace (a flood throws it often). */
    private static final RuntimeException DROP = new RuntimeException("initial packet refused by the relay", null,
        false, false)
    {
        private static final long serialVersionUID = 1L;
    };

    private final Policy policy;
    private final InitialRefusals refusals;

    public InitialAdmission(final Policy policy)
    {
        this(policy, InitialRefusals.NONE);
    }

    /** @param refusals answers a refused Initial with a stateless CONNECTION_CLOSE when it can. */
    public InitialAdmission(final Policy policy, final InitialRefusals refusals)
    {
        this.policy = policy;
        this.refusals = refusals;
    }

    @Override
    public boolean writeToken(final ByteBuf out, final ByteBuf dcid, final InetSocketAddress address)
    {
        if (!policy.admits(address))
        {
            refusals.refuse(address);
            throw DROP;
        }
        return false; // no Retry: the codec creates the connection
    }

    @Override
    public int validateToken(final ByteBuf token, final InetSocketAddress address)
    {
        return -1; // the relay issues no tokens (as netty's NoQuicTokenHandler)
    }

    @Override
    public int maxTokenLength()
    {
        return 0;
    }
}
