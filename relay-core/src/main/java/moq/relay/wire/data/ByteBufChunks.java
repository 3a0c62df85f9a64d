package moq.relay.wire.data;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Presents a Netty {@link ByteBuf}'s readable bytes to Agrona-based decoders without copying: one reusable
 * {@link UnsafeBuffer} is re-wrapped over each contiguous region (direct memory by address, heap by array,
 * composite buffers component by component). One instance per event loop or per stream; not thread-safe.
 *
 * <p>Ownership: the caller keeps the ByteBuf and its reference count; this class neither releases it nor
 * moves its reader index (the caller advances it once the sink returns). The wrapped view is valid only
 * until the sink returns or the next call on this instance.
 */
public final class ByteBufChunks
{
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer copy;

    /** @param maxCopyLength bound for {@link #view}'s fallback copy of a fragmented buffer (e.g. 65,535 for datagrams). */
    public ByteBufChunks(final int maxCopyLength)
    {
        this.copy = new UnsafeBuffer(new byte[maxCopyLength]);
    }

    /** Feeds the readable bytes of {@code buf} to {@code sink}, one contiguous region per call. */
    public void feed(final ByteBuf buf, final ChunkSink sink) throws WireException
    {
        feed(buf, buf.readerIndex(), buf.readableBytes(), sink);
    }

    private void feed(final ByteBuf buf, final int index, final int length, final ChunkSink sink) throws WireException
    {
        if (length == 0)
        {
            return;
        }
        if (wrapContiguous(buf, index, length))
        {
            sink.onData(view, 0, length);
            return;
        }
        if (buf instanceof CompositeByteBuf)
        {
            final CompositeByteBuf composite = (CompositeByteBuf)buf;
            final int end = index + length;
            for (int i = composite.toComponentIndex(index); i < composite.numComponents(); i++)
            {
                final int start = composite.toByteIndex(i);
                if (start >= end)
                {
                    break;
                }
                // internalComponent returns the component's cached slice (no copy, allocated once per component).
                final ByteBuf component = composite.internalComponent(i);
                final int from = Math.max(index, start);
                final int to = Math.min(end, start + component.capacity());
                feed(component, from - start, to - from, sink);
            }
            return;
        }
        // Several NIO buffers and no address or array: rare (e.g. exotic wrappers). nioBuffers allocates.
        for (final ByteBuffer nio : buf.nioBuffers(index, length))
        {
            view.wrap(nio, nio.position(), nio.remaining());
            sink.onData(view, 0, nio.remaining());
        }
    }

    /**
     * A view of the readable bytes of {@code buf} as one buffer, for whole units such as datagrams: wrapped
     * in place when contiguous, else copied into this instance's bounded scratch.
     *
     * @return the view, starting at offset 0 with {@code buf.readableBytes()} bytes; valid until the next call.
     * @throws WireException PROTOCOL_VIOLATION if a fragmented buffer exceeds the copy bound.
     */
    public DirectBuffer view(final ByteBuf buf) throws WireException
    {
        final int length = buf.readableBytes();
        if (length == 0 || wrapContiguous(buf, buf.readerIndex(), length))
        {
            return length == 0 ? copy : view;
        }
        if (length > copy.capacity())
        {
            throw WireException.protocolViolation("fragmented unit of " + length + " bytes exceeds " + copy.capacity());
        }
        buf.getBytes(buf.readerIndex(), copy.byteArray(), 0, length);
        return copy;
    }

    private boolean wrapContiguous(final ByteBuf buf, final int index, final int length)
    {
        if (buf instanceof CompositeByteBuf)
        {
            // Always walk components: their indices are relative to each component, not the composite.
            return false;
        }
        if (buf.hasMemoryAddress())
        {
            view.wrap(buf.memoryAddress() + index, length);
            return true;
        }
        if (buf.hasArray())
        {
            view.wrap(buf.array(), buf.arrayOffset() + index, length);
            return true;
        }
        if (buf.nioBufferCount() == 1)
        {
            // internalNioBuffer is the buffer's own reusable NIO view: no allocation in the common implementations.
            final ByteBuffer nio = buf.internalNioBuffer(index, length);
            view.wrap(nio, nio.position(), length);
            return true;
        }
        return false;
    }
}
