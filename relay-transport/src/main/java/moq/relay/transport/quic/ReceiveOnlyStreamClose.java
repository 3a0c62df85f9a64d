package moq.relay.transport.quic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;

/**
 * The relay's close of a stream it has read to its end, without netty's refused FIN when the stream is receive-only.
 *
 * <p>netty 4.2.18 closes a peer's unidirectional stream as it closes any stream: {@code close} first sets its private
 * {@code finSent} and sends a FIN of its own ({@code sendFinIfNeeded} -> {@code QuicheQuicChannel.streamSendFin}).
 * quiche refuses a send on the peer's unidirectional stream before touching any state ({@code InvalidStreamState}),
 * netty builds a {@code QuicException} for it, with its stack trace, ignores it, and runs a {@code quiche_conn_send}
 * of its own in the middle of the read batch. In the video call, where every audio frame is its own stream, that close
 * was 4-7 % of the relay's event loop (perf/README.md, "The ingest close at FIN without netty's refused FIN").
 *
 * <p>Here {@code finSent} is set just before the close, so {@code sendFinIfNeeded} finds it set and skips the refused
 * send; everything else in the close is what it was, because the close sets the same field first thing anyway: the
 * queued writes failed (there are none), the stream removed from netty's map ({@code removeStreamFromParent}, the
 * FIN was received), the channel deregistered. Flow-control and stream credit are not netty's to give: quiche
 * collects a peer's stream, and counts it toward the next MAX_STREAMS, when its FIN is read ({@code stream_recv}),
 * and the ACK and MAX_STREAMS frames leave with the send netty makes at the end of every read batch (or after a
 * {@code read()}). The field is set only on an open netty stream channel that is a peer's unidirectional stream
 * whose input is shut down, at the close, never earlier: set while the stream is open it changes netty's handling of
 * the FIN (netty closes a half-closure stream at its FIN when {@code finSent}: a WebTransport stream held for its
 * session's CONNECT would go). If a handler keeps the close from reaching netty, the field is put back.
 *
 * <p>When the field is not found (another netty), the close is netty's own. Call on the stream's event loop.
 */
public final class ReceiveOnlyStreamClose
{
    private static final Class<?> NETTY_STREAM = nettyStream();
    private static final VarHandle FIN_SENT = finSent();

    private ReceiveOnlyStreamClose()
    {
    }

    /** True when netty's field was found, so the close of a finished receive-only stream skips the refused FIN. */
    public static boolean supported()
    {
        return FIN_SENT != null;
    }

    /**
     * Closes {@code ctx}'s channel as {@code ctx.close()} does; for a peer's unidirectional stream whose input is shut
     * down (its FIN read), without netty's attempt to send a FIN on it.
     */
    public static void close(final ChannelHandlerContext ctx)
    {
        final Channel channel = ctx.channel();
        if (!receiveOnlyAndFinished(channel))
        {
            ctx.close();
            return;
        }
        FIN_SENT.set(channel, true);
        ctx.close();
        if (channel.isOpen())
        {
            FIN_SENT.set(channel, false); // the close did not reach netty: the stream stays as netty had it
        }
    }

    private static boolean receiveOnlyAndFinished(final Channel channel)
    {
        if (FIN_SENT == null || !NETTY_STREAM.isInstance(channel) || !channel.isOpen())
        {
            return false;
        }
        final QuicStreamChannel stream = (QuicStreamChannel)channel;
        return stream.type() == QuicStreamType.UNIDIRECTIONAL && !stream.isLocalCreated() && stream.isInputShutdown();
    }

    private static Class<?> nettyStream()
    {
        try
        {
            return Class.forName("io.netty.handler.codec.quic.QuicheQuicStreamChannel");
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            return null;
        }
    }

    private static VarHandle finSent()
    {
        if (NETTY_STREAM == null)
        {
            return null;
        }
        try
        {
            return MethodHandles.privateLookupIn(NETTY_STREAM, MethodHandles.lookup())
                .findVarHandle(NETTY_STREAM, "finSent", boolean.class);
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            return null;
        }
    }
}
