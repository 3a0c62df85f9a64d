package moq.relay.transport.quic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;

/**
 * Marks each unidirectional stream the peer opens as having no sending part of ours, before netty reads it.
 *
 * <p>netty 4.2.18 closes a peer's unidirectional stream at its FIN as it closes any stream: it first sends a FIN of
 * its own ({@code sendFinIfNeeded}). quiche refuses that on a receive-only stream, netty builds an exception for the
 * refusal (with its stack trace) and ignores it, and it runs a connection send for nothing. In the video call, where
 * every audio frame is its own stream, that was 6-7 % of the relay's event loop (perf/README.md, "What a stream
 * costs the relay"). netty's private {@code finSent} is what that close checks; set here, the close skips the FIN and
 * the rest of it (the stream's removal from quiche's table, the channel's deregistration) is unchanged. A
 * receive-only stream never sends, so "our FIN was sent" is true of it from the start. If the field is not found
 * (another netty), streams are left as netty makes them.
 *
 * <p>Sits first in every connection's pipeline, where netty hands each new stream channel over. Sharable, stateless.
 */
@ChannelHandler.Sharable
public final class ReceiveOnlyStreams extends ChannelInboundHandlerAdapter
{
    /** One instance serves every connection. */
    public static final ReceiveOnlyStreams INSTANCE = new ReceiveOnlyStreams();

    private static final Class<?> NETTY_STREAM = nettyStream();
    private static final VarHandle FIN_SENT = finSent();

    private ReceiveOnlyStreams()
    {
    }

    /** True when netty's field was found and peers' unidirectional streams are marked. */
    public static boolean supported()
    {
        return FIN_SENT != null;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof QuicStreamChannel)
        {
            mark((QuicStreamChannel)msg);
        }
        ctx.fireChannelRead(msg);
    }

    /** Marks {@code stream} when it is a unidirectional stream the peer opened; others are left alone. */
    public static void mark(final QuicStreamChannel stream)
    {
        if (FIN_SENT != null && stream.type() == QuicStreamType.UNIDIRECTIONAL && !stream.isLocalCreated() &&
            NETTY_STREAM.isInstance(stream))
        {
            FIN_SENT.set(stream, true);
        }
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
