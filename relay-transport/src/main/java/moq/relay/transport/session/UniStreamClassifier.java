package moq.relay.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import moq.relay.wire.Varint;
import moq.relay.wire.data.StreamDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * First handler of a peer-opened unidirectional stream: a {@link DecodingReader} whose decoder reads the stream type
 * varint, asks the session which handler reads this type, installs it in its place and hands it everything received
 * so far (from byte 0: the readers decode the type again).
 *
 * <p>Memory and ownership: the type's bytes are copied into a fixed 9-byte buffer (allocated with the handler, never
 * grown), nothing else is. The read that completes the type is retained and handed on whole to the installed reader,
 * which owns it then; a type split across reads was released read by read, so its earlier bytes (at most 8) go in front
 * of it in one small pooled buffer, also the installed reader's.
 */
public final class UniStreamClassifier extends DecodingReader implements StreamDecoder
{
    /** Picks the reader of a stream type; throws nothing, closes the session itself for an unknown type. */
    public interface Router
    {
        /** @return the handler for this stream, or null to discard the stream. */
        ChannelHandler route(long streamType);
    }

    private static final int MAX_TYPE_BYTES = 9;
    /** The installed reader's name in the stream's pipeline (the classifier's own is gone by then). */
    private static final String READER_NAME = "moq-stream-reader";

    private final Varint varint;
    private final Router router;
    /** The type's bytes so far (from earlier reads and the one being fed). */
    private final UnsafeBuffer type = new UnsafeBuffer(new byte[MAX_TYPE_BYTES]);
    private int typeLength;

    public UniStreamClassifier(final Varint varint, final Router router)
    {
        super(e -> { }); // reading a varint's bytes cannot fail
        this.varint = varint;
        this.router = router;
    }

    @Override
    protected StreamDecoder decoder()
    {
        return this;
    }

    /** Gathers the type's bytes (at most {@link #MAX_TYPE_BYTES} in all, however many come). */
    @Override
    public void onData(final DirectBuffer buffer, final int offset, final int length)
    {
        final int n = Math.min(length, MAX_TYPE_BYTES - typeLength);
        buffer.getBytes(offset, type, typeLength, n);
        typeLength += n;
    }

    /** The type once its bytes are all there; routes the stream then, handing {@code buf} on. */
    @Override
    protected void feed(final ChannelHandlerContext ctx, final ByteBuf buf) throws moq.relay.wire.WireException
    {
        final int before = typeLength; // bytes of earlier reads, all of them the type's
        super.feed(ctx, buf);
        if (typeLength == 0 || typeLength < varint.sizeAt(type, 0))
        {
            return; // need more
        }
        stop(); // whatever comes is the installed reader's
        final ChannelHandler reader = router.route(varint.valueAt(type, 0));
        if (reader == null)
        {
            ctx.channel().close();
            return;
        }
        ctx.pipeline().addAfter(ctx.name(), READER_NAME, reader); // named: no name generated per stream
        ctx.pipeline().remove(this);
        // Ownership of the bytes read so far passes to the installed reader (the caller releases its own reference).
        if (before > 0)
        {
            ctx.fireChannelRead(ctx.alloc().buffer(before).writeBytes(type.byteArray(), 0, before));
        }
        ctx.fireChannelRead(buf.retain());
    }

    @Override
    public boolean abandoned()
    {
        return false;
    }

    @Override
    public void onFin()
    {
    }

    @Override
    public void close()
    {
    }

    /**
     * FIN before a whole stream type: nothing to route, and nothing more will come (a peer's keep-alive is an empty
     * stream). Netty would keep the stream's channel until the connection ends unless it is closed.
     */
    @Override
    protected boolean closesAtFin()
    {
        return true;
    }

    /**
     * A RESET_STREAM before the stream's type was read (e.g. the relay skipping a too-far-behind subscriber to the
     * next group): nothing to deliver, so the stream just closes instead of the reset reaching the pipeline's tail.
     */
    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof io.netty.handler.codec.quic.QuicStreamResetException)
        {
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
