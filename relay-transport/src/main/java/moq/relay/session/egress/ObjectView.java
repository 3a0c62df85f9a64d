package moq.relay.session.egress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.io.InputStream;

import io.netty.buffer.AbstractReferenceCountedByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One object as it goes on a subgroup stream: its header (for a stream's first object, the SUBGROUP_HEADER in front of
 * it), encoded into the view's own small direct memory, followed by its payload, framed (not copied) in the track log's off-heap segment. Handed to the stream as one read-only
 * {@link ByteBuf} so that QUIC takes header and payload in one write: netty's QUIC stream sends (quiche stream send,
 * then connection send and a UDP flush) on every write, so a header written on its own costs a send, a packet and a
 * syscall of its own per object and subscriber. Netty's QUIC stream reads a multi-part buffer through
 * {@link #nioBuffers(int, int)}, which returns this view's own positioned buffers (two, three with a trailer): nothing
 * is allocated.
 *
 * <p>A header-only object right behind it on the same stream (the End of Group of a one-frame audio group) can ride in
 * the same write as a trailer ({@link #trail}), encoded into the view's own memory too: netty's QUIC sends per write, so
 * the frame and its End of Group written apart cost two sends, and likely two packets, per stream and subscriber.
 *
 * <p>Bound to one segment for life (its {@link ByteBuffer} duplicate is made once), recycled by {@link ObjectViews}:
 * {@code deallocate} returns it there instead of freeing anything. Bytes [0, headerLength) are the header,
 * [headerLength, headerLength + payloadLength) the payload, the rest (up to {@link #TRAILER_CAPACITY}) the trailer.
 * Confined to the writer's event loop.
 */
public final class ObjectView extends AbstractReferenceCountedByteBuf
{
    /**
     * Header bytes carried inline: a SUBGROUP_HEADER (at most 37) and an object header without properties (at most
     * 36), or with a short property block.
     */
    static final int HEADER_CAPACITY = 128;
    /** Trailer bytes: one object header without properties or payload (at most 36). */
    static final int TRAILER_CAPACITY = 40;
    /** Where the trailer is encoded in the view's memory, behind the header's room. */
    static final int TRAILER_OFFSET = HEADER_CAPACITY;

    private final ObjectViews owner;
    private final ByteBuffer segment;
    private final ByteBuffer headerMemory = ByteBuffer.allocateDirect(HEADER_CAPACITY + TRAILER_CAPACITY);
    private final UnsafeBuffer header = new UnsafeBuffer(headerMemory);
    /** What {@link #nioBuffers} hands out: views of the header, the payload and the trailer, positioned per call. */
    private final ByteBuffer headerPart = headerMemory.duplicate();
    private final ByteBuffer payloadPart;
    private final ByteBuffer trailerPart = headerMemory.duplicate();
    /** The arrays {@link #nioBuffers} returns, by the number of parts in them. */
    private final ByteBuffer[][] parts = {new ByteBuffer[1], new ByteBuffer[2], new ByteBuffer[3]};
    private int headerLength;
    private int payloadOffset;
    private int payloadLength;
    private int trailerLength;

    ObjectView(final ObjectViews owner, final ByteBuffer segment)
    {
        super(Integer.MAX_VALUE);
        this.owner = owner;
        this.segment = segment;
        this.payloadPart = segment.duplicate().clear();
    }

    /**
     * Where the header is encoded before {@link #frame} ({@value #HEADER_CAPACITY} bytes from 0), and a trailer before
     * {@link #trail} ({@value #TRAILER_CAPACITY} bytes from {@value #TRAILER_OFFSET}).
     */
    UnsafeBuffer header()
    {
        return header;
    }

    /** Frames the header just encoded ({@code headerLength} bytes) and the payload at {@code offset} of the segment. */
    ObjectView frame(final int headerLength, final int offset, final int length)
    {
        this.headerLength = headerLength;
        this.payloadOffset = offset;
        this.payloadLength = length;
        this.trailerLength = 0;
        setIndex(0, headerLength + length);
        return this;
    }

    /**
     * Adds the {@code length} bytes encoded at {@link #TRAILER_OFFSET} of {@link #header()} behind the payload; once,
     * before the view is handed to a stream. Returns false (nothing added) when it has a trailer already.
     */
    boolean trail(final int length)
    {
        if (trailerLength > 0 || length > TRAILER_CAPACITY)
        {
            return false;
        }
        trailerLength = length;
        writerIndex(headerLength + payloadLength + length);
        return true;
    }

    /** Whether a trailer can still be added. */
    boolean canTrail()
    {
        return trailerLength == 0;
    }

    ByteBuffer segment()
    {
        return segment;
    }

    @Override
    protected void deallocate()
    {
        resetRefCnt();
        owner.recycle(this);
    }

    // --- what QUIC's send reads --------------------------------------------------------------------------------

    @Override
    public int nioBufferCount()
    {
        return trailerLength == 0 ? 2 : 3;
    }

    /** The parts that hold bytes [index, index + length): header, payload, trailer, each positioned on its share. */
    @Override
    public ByteBuffer[] nioBuffers(final int index, final int length)
    {
        checkIndex(index, length);
        final int end = index + length;
        final int payloadEnd = headerLength + payloadLength;
        final boolean withHeader = index < headerLength;
        final boolean withTrailer = trailerLength > 0 && end > payloadEnd;
        final boolean withPayload = !withTrailer || index < payloadEnd;
        final ByteBuffer[] out = parts[(withHeader ? 1 : 0) + (withPayload ? 1 : 0) + (withTrailer ? 1 : 0) - 1];
        int n = 0;
        if (withHeader)
        {
            headerPart.limit(Math.min(end, headerLength)).position(index);
            out[n++] = headerPart;
        }
        if (withPayload)
        {
            final int from = Math.max(index, headerLength);
            position(payloadPart, from, Math.max(from, Math.min(end, payloadEnd)));
            out[n++] = payloadPart;
        }
        if (withTrailer)
        {
            trailerPart.limit(TRAILER_OFFSET + end - payloadEnd)
                .position(TRAILER_OFFSET + Math.max(index, payloadEnd) - payloadEnd);
            out[n] = trailerPart;
        }
        return out;
    }

    /** Positions the payload part on view bytes [from, to) (both at or past the header). */
    private void position(final ByteBuffer part, final int from, final int to)
    {
        part.limit(payloadOffset + to - headerLength).position(payloadOffset + from - headerLength);
    }

    @Override
    public ByteBuffer nioBuffer(final int index, final int length)
    {
        checkIndex(index, length);
        if (index >= headerLength && index + length <= headerLength + payloadLength)
        {
            return segment.duplicate().position(payloadOffset + index - headerLength).limit(
                payloadOffset + index - headerLength + length).slice();
        }
        // Spans parts: a copy, as CompositeByteBuf does (not on the send path, which uses nioBuffers).
        final ByteBuffer merged = ByteBuffer.allocate(length);
        getBytes(index, merged);
        return merged.flip();
    }

    @Override
    public ByteBuffer internalNioBuffer(final int index, final int length)
    {
        throw new UnsupportedOperationException("several parts: use nioBuffers()");
    }

    @Override
    public boolean isDirect()
    {
        return true;
    }

    @Override
    public boolean isReadOnly()
    {
        return true;
    }

    @Override
    public boolean isContiguous()
    {
        return false;
    }

    @Override
    public int capacity()
    {
        return headerLength + payloadLength + trailerLength;
    }

    @Override
    public ByteBuf capacity(final int newCapacity)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    public ByteBufAllocator alloc()
    {
        return ByteBufAllocator.DEFAULT;
    }

    @Override
    @SuppressWarnings("deprecation")
    public ByteOrder order()
    {
        return ByteOrder.BIG_ENDIAN;
    }

    @Override
    public ByteBuf unwrap()
    {
        return null;
    }

    @Override
    public boolean hasArray()
    {
        return false;
    }

    @Override
    public byte[] array()
    {
        throw new UnsupportedOperationException("direct");
    }

    @Override
    public int arrayOffset()
    {
        throw new UnsupportedOperationException("direct");
    }

    @Override
    public boolean hasMemoryAddress()
    {
        return false;
    }

    @Override
    public long memoryAddress()
    {
        throw new UnsupportedOperationException("two parts");
    }

    // --- reads (tests, logging, embedded channels; the send path above does not use them) -----------------------

    @Override
    protected byte _getByte(final int index)
    {
        final int payloadEnd = headerLength + payloadLength;
        return index < headerLength ? headerMemory.get(index) : index < payloadEnd ?
            segment.get(payloadOffset + index - headerLength) : headerMemory.get(TRAILER_OFFSET + index - payloadEnd);
    }

    @Override
    protected short _getShort(final int index)
    {
        return (short)((_getByte(index) & 0xff) << 8 | _getByte(index + 1) & 0xff);
    }

    @Override
    protected short _getShortLE(final int index)
    {
        return Short.reverseBytes(_getShort(index));
    }

    @Override
    protected int _getUnsignedMedium(final int index)
    {
        return (_getByte(index) & 0xff) << 16 | (_getByte(index + 1) & 0xff) << 8 | _getByte(index + 2) & 0xff;
    }

    @Override
    protected int _getUnsignedMediumLE(final int index)
    {
        return (_getByte(index + 2) & 0xff) << 16 | (_getByte(index + 1) & 0xff) << 8 | _getByte(index) & 0xff;
    }

    @Override
    protected int _getInt(final int index)
    {
        return (_getShort(index) & 0xffff) << 16 | _getShort(index + 2) & 0xffff;
    }

    @Override
    protected int _getIntLE(final int index)
    {
        return Integer.reverseBytes(_getInt(index));
    }

    @Override
    protected long _getLong(final int index)
    {
        return (_getInt(index) & 0xffffffffL) << 32 | _getInt(index + 4) & 0xffffffffL;
    }

    @Override
    protected long _getLongLE(final int index)
    {
        return Long.reverseBytes(_getLong(index));
    }

    @Override
    public ByteBuf getBytes(final int index, final byte[] dst, final int dstIndex, final int length)
    {
        checkDstIndex(index, length, dstIndex, dst.length);
        final int payloadEnd = headerLength + payloadLength;
        final int inHeader = Math.max(0, Math.min(length, headerLength - index));
        final int inPayload = Math.max(0, Math.min(index + length, payloadEnd) - Math.max(index, headerLength));
        if (inHeader > 0)
        {
            headerMemory.get(index, dst, dstIndex, inHeader);
        }
        if (inPayload > 0)
        {
            segment.get(payloadOffset + index + inHeader - headerLength, dst, dstIndex + inHeader, inPayload);
        }
        final int inTrailer = length - inHeader - inPayload;
        if (inTrailer > 0)
        {
            headerMemory.get(TRAILER_OFFSET + index + inHeader + inPayload - payloadEnd, dst,
                dstIndex + inHeader + inPayload, inTrailer);
        }
        return this;
    }

    @Override
    public ByteBuf getBytes(final int index, final ByteBuffer dst)
    {
        final int length = dst.remaining();
        checkIndex(index, length);
        final int payloadEnd = headerLength + payloadLength;
        final int inHeader = Math.max(0, Math.min(length, headerLength - index));
        final int inPayload = Math.max(0, Math.min(index + length, payloadEnd) - Math.max(index, headerLength));
        final int at = dst.position();
        if (inHeader > 0)
        {
            dst.put(at, headerMemory, index, inHeader);
        }
        if (inPayload > 0)
        {
            dst.put(at + inHeader, segment, payloadOffset + index + inHeader - headerLength, inPayload);
        }
        final int inTrailer = length - inHeader - inPayload;
        if (inTrailer > 0)
        {
            dst.put(at + inHeader + inPayload, headerMemory, TRAILER_OFFSET + index + inHeader + inPayload - payloadEnd,
                inTrailer);
        }
        dst.position(at + length);
        return this;
    }

    @Override
    public ByteBuf getBytes(final int index, final ByteBuf dst, final int dstIndex, final int length)
    {
        checkDstIndex(index, length, dstIndex, dst.capacity());
        dst.setBytes(dstIndex, nioBuffer(index, length));
        return this;
    }

    @Override
    public ByteBuf getBytes(final int index, final OutputStream out, final int length) throws IOException
    {
        final byte[] bytes = new byte[length];
        getBytes(index, bytes, 0, length);
        out.write(bytes);
        return this;
    }

    @Override
    public int getBytes(final int index, final GatheringByteChannel out, final int length) throws IOException
    {
        return out.write(nioBuffer(index, length));
    }

    @Override
    public int getBytes(final int index, final FileChannel out, final long position, final int length)
        throws IOException
    {
        return out.write(nioBuffer(index, length), position);
    }

    @Override
    public ByteBuf copy(final int index, final int length)
    {
        checkIndex(index, length);
        final ByteBuf copy = alloc().directBuffer(length);
        copy.writeBytes(nioBuffer(index, length));
        return copy;
    }

    // --- read-only ------------------------------------------------------------------------------------------------

    @Override
    protected void _setByte(final int index, final int value)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    protected void _setShort(final int index, final int value)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    protected void _setShortLE(final int index, final int value)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    protected void _setMedium(final int index, final int value)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    protected void _setMediumLE(final int index, final int value)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    protected void _setInt(final int index, final int value)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    protected void _setIntLE(final int index, final int value)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    protected void _setLong(final int index, final long value)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    protected void _setLongLE(final int index, final long value)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    public ByteBuf setBytes(final int index, final ByteBuf src, final int srcIndex, final int length)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    public ByteBuf setBytes(final int index, final byte[] src, final int srcIndex, final int length)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    public ByteBuf setBytes(final int index, final ByteBuffer src)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    public int setBytes(final int index, final InputStream in, final int length)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    public int setBytes(final int index, final ScatteringByteChannel in, final int length)
    {
        throw new ReadOnlyBufferException();
    }

    @Override
    public int setBytes(final int index, final FileChannel in, final long position, final int length)
    {
        throw new ReadOnlyBufferException();
    }
}
