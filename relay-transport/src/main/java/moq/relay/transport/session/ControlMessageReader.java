package moq.relay.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireException;
import org.agrona.ExpandableArrayBuffer;

/**
 * Stream handler that cuts a control or request stream into framed control messages ({@code Type, Length(16),
 * Payload}) and hands each decoded message to its {@link Sink}. A message never exceeds 65,535 payload bytes, which
 * bounds what is buffered. Releases every ByteBuf it reads.
 */
public final class ControlMessageReader extends ChannelInboundHandlerAdapter
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlMessageReader.class);

    /** Receives the messages of one stream, on its event loop. */
    public interface Sink
    {
        void onMessage(ControlMessage message) throws WireException;

        /** The peer finished (FIN) or the stream closed; called at most once. */
        void onEnd();
    }

    /** Fails the session with the error of malformed input. */
    public interface FailureHandler
    {
        void fail(WireException e);
    }

    private final ControlCodec codec;
    private final Sink sink;
    private final FailureHandler failure;
    private final ExpandableArrayBuffer pending = new ExpandableArrayBuffer(512);
    private int pendingLength;
    private boolean failed;
    private boolean ended;

    public ControlMessageReader(final ControlCodec codec, final Sink sink, final FailureHandler failure)
    {
        this.codec = codec;
        this.sink = sink;
        this.failure = failure;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof ByteBuf))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        final ByteBuf buf = (ByteBuf)msg;
        try
        {
            if (failed)
            {
                return;
            }
            final int n = buf.readableBytes();
            pending.checkLimit(pendingLength + n);
            buf.getBytes(buf.readerIndex(), pending.byteArray(), pendingLength, n);
            pendingLength += n;
            drain();
        }
        finally
        {
            buf.release();
        }
    }

    private void drain()
    {
        int position = 0;
        try
        {
            while (position < pendingLength)
            {
                final int length = ControlFramer.frameLength(codec.draft().varint(), pending, position,
                    pendingLength - position);
                if (length == ControlFramer.NEED_MORE)
                {
                    break;
                }
                final ControlMessage message = codec.decode(pending, position, length);
                position += length;
                sink.onMessage(message);
                if (failed)
                {
                    return;
                }
            }
        }
        catch (final WireException e)
        {
            failed = true;
            failure.fail(e);
            return;
        }
        catch (final RuntimeException e)
        {
            // A local bug handling a valid message: close rather than leave the session half-working.
            LOG.error("failed to handle a control message", e);
            failed = true;
            failure.fail(new WireException(moq.relay.wire.SessionError.INTERNAL_ERROR, e.toString()));
            return;
        }
        if (position > 0)
        {
            pending.putBytes(0, pending, position, pendingLength - position);
            pendingLength -= position;
        }
    }

    /** Stops decoding (the session is closing). */
    public void stop()
    {
        failed = true;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof ChannelInputShutdownEvent)
        {
            end();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        // A stream that goes inactive because its whole connection is closing was not ended by the peer: the
        // session hears of the connection close itself, with its real reason, so report nothing here.
        final Channel connection = ctx.channel().parent();
        if (connection == null || connection.isActive())
        {
            end();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A reset stream surfaces here; the inactive event that follows reports the end.
        end();
    }

    private void end()
    {
        if (!ended)
        {
            ended = true;
            if (!failed)
            {
                sink.onEnd();
            }
        }
    }

    /** True if a partial message is buffered (the peer closed mid-message). */
    public boolean hasPartialMessage()
    {
        return pendingLength > 0;
    }
}
