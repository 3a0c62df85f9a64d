package moq.relay.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;

/** Records a control or request stream's bytes (raw test peers) and decodes its messages on demand. */
final class RecordedMessages extends ChannelInboundHandlerAdapter
{
    private final ControlCodec codec;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile io.netty.channel.Channel channel;

    RecordedMessages(final ControlCodec codec)
    {
        this.codec = codec;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
    }

    /** The stream this recorder reads. */
    io.netty.channel.Channel channel()
    {
        return channel;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf b = (ByteBuf)msg;
        synchronized (bytes)
        {
            final byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            bytes.writeBytes(a);
        }
        b.release();
    }

    /** The whole messages received so far. */
    List<ControlMessage> decoded()
    {
        final byte[] all;
        synchronized (bytes)
        {
            all = bytes.toByteArray();
        }
        final UnsafeBuffer b = new UnsafeBuffer(all);
        final List<ControlMessage> out = new ArrayList<>();
        int position = 0;
        try
        {
            while (position < all.length)
            {
                final int length = ControlFramer.frameLength(codec.draft().varint(), b, position,
                    all.length - position);
                if (length == ControlFramer.NEED_MORE)
                {
                    break;
                }
                out.add(codec.decode(b, position, length));
                position += length;
            }
        }
        catch (final WireException e)
        {
            throw new IllegalStateException(e);
        }
        return out;
    }

    int count()
    {
        return decoded().size();
    }

    /** The first message of {@code type} received, or null. */
    <T extends ControlMessage> T first(final Class<T> type)
    {
        for (final ControlMessage m : decoded())
        {
            if (type.isInstance(m))
            {
                return type.cast(m);
            }
        }
        return null;
    }
}
