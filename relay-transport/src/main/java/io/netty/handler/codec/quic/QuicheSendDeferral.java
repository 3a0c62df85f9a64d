package io.netty.handler.codec.quic;

import io.netty.channel.Channel;

/**
 * Lets the relay hold back a quiche connection's packet generation until the end of an egress turn, as netty does
 * itself for a read batch (issue #19). netty 4.2.18 sends on every stream write ({@code QuicheQuicStreamChannel}'s
 * {@code write0} calls {@code QuicheQuicChannel.connectionSendAndFlush()}): each object becomes its own packets and
 * its own {@code sendmsg}, however many objects the turn writes to the same connection. While the connection is
 * marked "in the read-complete queue" netty skips that send; {@code recvComplete()} then makes one
 * {@code quiche_conn_send} loop and one flush for everything written meanwhile, and clears the mark.
 * <p>
 * This class sits in netty's package because both methods are package-private there (same runtime package: the relay
 * runs netty from the class path, its jars are not sealed). A netty upgrade that renames them fails the build here.
 * Event loop of the connection only.
 */
public final class QuicheSendDeferral
{
    private QuicheSendDeferral()
    {
    }

    /**
     * Holds back {@code quicChannel}'s sends. True if this call did (the caller must then call {@link #sendDeferred}
     * in the same event-loop task); false if it is not a quiche connection or its sends are already held back (by an
     * earlier call, or by netty inside a read batch, which sends at the batch's end itself).
     */
    public static boolean deferSends(final Channel quicChannel)
    {
        return quicChannel instanceof QuicheQuicChannel &&
            ((QuicheQuicChannel)quicChannel).markInFireChannelReadCompleteQueue();
    }

    /** Produces and flushes the packets held back since {@link #deferSends} returned true, and stops holding back. */
    public static void sendDeferred(final Channel quicChannel)
    {
        ((QuicheQuicChannel)quicChannel).recvComplete();
    }
}
