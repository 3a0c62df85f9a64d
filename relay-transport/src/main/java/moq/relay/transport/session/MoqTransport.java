package moq.relay.transport.session;

import java.net.SocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;

/**
 * What a MoQT session needs from the transport under it, the same for raw QUIC (one MoQT session per QUIC
 * connection, ALPN {@code moqt-18}/{@code moq-00}) and WebTransport (one MoQT session per WebTransport session,
 * version chosen by {@code wt-protocol} or by SETUP). The MoQT session code is written once against this interface:
 * its streams are plain {@link QuicStreamChannel}s (for WebTransport with the stream header already consumed on
 * receive and already written on open), so stream handlers do not know which transport they run on.
 *
 * <p>Threading: every method is called on, and every {@link Listener} callback arrives on, {@link #eventLoop()}
 * (the QUIC connection's event loop). Methods called from another thread are not supported.
 */
public interface MoqTransport
{
    /**
     * The negotiated application protocol: the ALPN for raw QUIC, the {@code wt-protocol} answered for
     * WebTransport, or null when none was negotiated (draft-14 CLIENT_SETUP version negotiation then decides).
     */
    String protocol();

    /** True for a WebTransport session (the URL chose path and authority; SETUP must not name them). */
    default boolean overWebTransport()
    {
        return false;
    }

    /** The peer's UDP address. */
    SocketAddress peerAddress();

    /** The thread of this transport and of all its streams. */
    EventLoop eventLoop();

    /**
     * Opens a stream when the peer's stream credit allows, or queues the open until a MAX_STREAMS raises it (never
     * spending a stream id the peer has not allowed). {@code handler} is added to the stream's pipeline before its
     * {@code channelActive}; anything it writes follows the transport's stream header.
     *
     * @return completes with the stream, or fails when the transport closes or the queue is full.
     */
    Future<QuicStreamChannel> openStream(QuicStreamType type, ChannelHandler handler);

    /**
     * As {@link #openStream(QuicStreamType, ChannelHandler)}, for a subgroup stream: while it waits for credit it
     * comes after the opens without a rank and is served by {@code rank} ({@link WaitingOpens#rank}: subscriber, then
     * publisher priority), then arrival. Cancelling the future while the open waits withdraws it (no stream id is
     * spent); once its stream is being created the future is uncancellable. At the session's bound of waiting opens
     * the one ranked last fails with {@link WaitingOpens.OpenRefusedException} (see {@link WaitingOpens}).
     */
    default Future<QuicStreamChannel> openStream(QuicStreamType type, ChannelHandler handler, int rank)
    {
        return openStream(type, handler);
    }

    /**
     * Sends a datagram (unreliable). Ownership of {@code payload} passes to the transport, which releases it.
     *
     * @return false when it was dropped at once (transport closed, too large, datagrams not negotiated).
     */
    boolean sendDatagram(ByteBuf payload);

    /** The largest datagram payload {@link #sendDatagram} can carry now; 0 when datagrams are unavailable. */
    int maxDatagramPayloadSize();

    /**
     * Resets the sending part of a stream (RESET_STREAM) and, for a stream the peer sends on, asks it to stop
     * (STOP_SENDING), with an application error code that the transport maps to its wire code space.
     */
    void resetStream(QuicStreamChannel stream, long applicationErrorCode);

    /**
     * The application error code carried by a wire error code received in RESET_STREAM / STOP_SENDING on a stream
     * of this transport, or -1 when the code is not an application error (e.g. WebTransport's WT_SESSION_GONE).
     */
    long applicationErrorCode(long wireErrorCode);

    /** Closes the session with an application error code and reason; idempotent. */
    void close(long applicationErrorCode, String reason);

    /** Completes (successfully) once the session is closed, whoever closed it. */
    Future<Void> closeFuture();

    /** Events of the transport, for the MoQT session that owns it. Called on {@link #eventLoop()}. */
    interface Listener
    {
        /**
         * A peer-opened stream, unidirectional or bidirectional ({@code stream.type()}), ready for the session's
         * handlers: add them to {@code stream.pipeline()} during this call; buffered bytes are fired into the
         * pipeline right after it returns.
         */
        void streamOpened(QuicStreamChannel stream);

        /** A datagram's payload. Ownership passes to the listener, which must release it. */
        void datagramReceived(ByteBuf payload);

        /** The peer or the relay asked to wind the session down (GOAWAY / WT_DRAIN_SESSION). */
        default void drainRequested()
        {
        }

        /** The session has ended; {@code reason} is never null. No further calls follow. */
        default void closed(long applicationErrorCode, String reason)
        {
        }
    }
}
