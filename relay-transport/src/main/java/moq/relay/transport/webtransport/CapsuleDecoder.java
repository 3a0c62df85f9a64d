package moq.relay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Splits the DATA payload of a CONNECT stream into capsules (RFC 9297 3.2: type varint, length varint, value),
 * however the bytes are split across DATA frames. At most {@code maxCapsuleSize} bytes are buffered.
 */
final class CapsuleDecoder
{
    /** Receives each complete capsule; the payload is only valid during the call (the decoder releases it). */
    interface Listener
    {
        void capsule(long type, ByteBuf payload);

        /** A capsule declared a length beyond the limit; the decoder stops. */
        void capsuleTooLarge(long type, long length);
    }

    private final int maxCapsuleSize;
    private final Listener listener;
    private CompositeByteBuf buffered;
    private boolean failed;

    CapsuleDecoder(final int maxCapsuleSize, final Listener listener)
    {
        this.maxCapsuleSize = maxCapsuleSize;
        this.listener = listener;
    }

    /** Feeds bytes; takes ownership of {@code data}. */
    void feed(final ByteBufAllocator alloc, final ByteBuf data)
    {
        if (failed)
        {
            data.release();
            return;
        }
        if (buffered == null)
        {
            buffered = alloc.compositeBuffer();
        }
        buffered.addComponent(true, data);
        while (!failed)
        {
            final int start = buffered.readerIndex();
            final long type = WtVarint.read(buffered);
            final long length = type == WtVarint.INCOMPLETE ? WtVarint.INCOMPLETE : WtVarint.read(buffered);
            if (length == WtVarint.INCOMPLETE)
            {
                buffered.readerIndex(start);
                break;
            }
            if (length > maxCapsuleSize)
            {
                failed = true;
                listener.capsuleTooLarge(type, length);
                break;
            }
            if (buffered.readableBytes() < length)
            {
                buffered.readerIndex(start);
                break;
            }
            final ByteBuf payload = buffered.readSlice((int)length);
            listener.capsule(type, payload);
        }
        if (buffered != null)
        {
            buffered.discardReadComponents();
        }
    }

    /** True when bytes of an incomplete capsule are pending. */
    boolean hasPartialCapsule()
    {
        return buffered != null && buffered.isReadable();
    }

    void release()
    {
        if (buffered != null)
        {
            buffered.release();
            buffered = null;
        }
        failed = true;
    }
}
