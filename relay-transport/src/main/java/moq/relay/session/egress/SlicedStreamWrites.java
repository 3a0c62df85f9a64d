package moq.relay.session.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The writes of one relay-opened stream (a subgroup's, a FETCH's), in order, with a large write handed to QUIC in
 * slices: quiche takes what the congestion window allows and netty packs all of it into packets at once, on the event
 * loop every connection shares (a 2 MiB object: some 1,500 packets in one go). A write above {@link #SLICE_BYTES} goes
 * out as retained slices of it, the next from a task scheduled once QUIC took the previous (after the loop's next
 * I/O), so other connections are served between two slices. Until its last slice is out, every later write and the
 * FIN wait behind it in order: a write or FIN that overtook the slices made QUIC send the FIN early and drop what
 * followed (LargeObjectsBackToBackTest).
 * <p>
 * Buffer ownership: every write passes to this object; a sliced write is owned here until its last slice is handed
 * over (each slice retains it, and QUIC releases each slice once taken); writes waiting behind it are owned here until
 * written; {@link #dropSlicing()} releases both. Writes use the void promise (failures surface as
 * {@code exceptionCaught} on the stream), slices a promise each. Allocation: none for a write of at most
 * {@link #SLICE_BYTES}; per large write its slices, their promises and scheduled tasks. Event-loop confined.
 */
abstract class SlicedStreamWrites
{
    /** A write larger than this goes to QUIC in slices of this size, the next in a later event-loop turn. */
    static final int SLICE_BYTES = 64 * 1024;
    /**
     * Bytes of later writes queued behind a stream's sliced write beyond which the stream holds its writer back
     * ({@link #holdsBack()}). Below it slicing does not: the unsliced writer handed QUIC the whole object at once and
     * stayed writable, and holding the engine back for every slice would turn a subscriber's backlog bound into a
     * limit on consecutive large objects (QUIC's own flow control still holds it back: a slice QUIC does not take
     * makes the stream unwritable).
     */
    static final int MAX_BYTES_BEHIND_SLICES = 4 << 20;

    /** The stream once open; writes go to it. */
    QuicStreamChannel channel;
    /** A large write going to QUIC in slices; owned here, released once its last slice is written. */
    private ByteBuf slicing;
    /** Writes made while a large write is being sliced, in order; they follow its last slice. */
    private ArrayDeque<ByteBuf> behind;
    private int bytesBehind;
    /** The FIN goes after the sliced write and those behind it. */
    private boolean finBehind;
    private Runnable nextSlice;
    private ChannelFutureListener sliceTaken;

    /** The bytes waiting behind a sliced write changed: {@link #holdsBack()} may have changed. */
    abstract void behindChanged();

    /** Too much waits behind a sliced write: the writer should take no more objects for this stream. */
    final boolean holdsBack()
    {
        return bytesBehind > MAX_BYTES_BEHIND_SLICES;
    }

    /**
     * Whether QUIC has taken every byte written to the open stream, its FIN included: nothing sliced or queued here,
     * and the channel closed, which Netty's QUIC does to a unidirectional stream once quiche accepted its FIN (until
     * then the writes wait in the channel, while the peer's flow control keeps quiche from taking them). A channel
     * closed otherwise (reset, STOP_SENDING, the connection gone) has nothing left to take either.
     */
    final boolean takenByQuic()
    {
        return slicing == null && !finBehind && !channel.isActive();
    }

    /** The stream is open: {@code buf} (owned by the callee) goes out behind everything written before it. */
    final void send(final ByteBuf buf)
    {
        if (slicing != null)
        {
            behind.add(buf);
            bytesBehind += buf.readableBytes();
            behindChanged();
        }
        else if (buf.readableBytes() > SLICE_BYTES)
        {
            startSlicing(buf);
        }
        else
        {
            channel.writeAndFlush(buf, channel.voidPromise());
        }
    }

    /** The stream is open: the FIN behind everything written, with {@code last} (or null) when it is small. */
    final void sendFin(final ByteBuf last)
    {
        if (slicing == null && (last == null || last.readableBytes() <= SLICE_BYTES))
        {
            writeFin(last);
            return;
        }
        if (last != null)
        {
            send(last);
        }
        finBehind = true; // slicing now: sent once the slices and what is behind them are written
    }

    private void startSlicing(final ByteBuf buf)
    {
        slicing = buf;
        if (behind == null)
        {
            behind = new ArrayDeque<>(4);
            nextSlice = this::nextSlice;
            sliceTaken = f ->
            {
                if (f.isSuccess())
                {
                    // A later turn, after the loop's I/O: other connections are served between two slices.
                    f.channel().eventLoop().schedule(nextSlice, 0, TimeUnit.NANOSECONDS);
                }
                else
                {
                    dropSlicing(); // the stream failed (reset, STOP_SENDING, connection gone)
                }
            };
        }
        nextSlice();
    }

    /** Writes the next slice of the large write; after its last one, what waited behind it. */
    private void nextSlice()
    {
        final ByteBuf buf = slicing;
        if (buf == null)
        {
            return; // reset meanwhile
        }
        if (!channel.isActive())
        {
            dropSlicing();
            return;
        }
        final ByteBuf slice = buf.readRetainedSlice(Math.min(SLICE_BYTES, buf.readableBytes()));
        if (buf.isReadable())
        {
            channel.writeAndFlush(slice, channel.newPromise().addListener(sliceTaken));
            return;
        }
        slicing = null;
        buf.release(); // the last slice holds the write's bytes until QUIC takes them
        channel.writeAndFlush(slice, channel.voidPromise());
        ByteBuf b;
        while (slicing == null && (b = behind.poll()) != null)
        {
            bytesBehind -= b.readableBytes();
            if (finBehind && behind.isEmpty() && b.readableBytes() <= SLICE_BYTES)
            {
                finBehind = false;
                writeFin(b);
            }
            else
            {
                send(b);
            }
        }
        if (slicing == null && finBehind)
        {
            finBehind = false;
            writeFin(null);
        }
        behindChanged();
    }

    /** The stream failed or is reset while slicing: the rest of the large write and what is behind it are dropped. */
    final void dropSlicing()
    {
        if (slicing != null)
        {
            slicing.release();
            slicing = null;
        }
        if (behind != null)
        {
            ByteBuf b;
            while ((b = behind.poll()) != null)
            {
                b.release();
            }
            bytesBehind = 0;
        }
        finBehind = false;
        behindChanged();
    }

    /** FIN behind the writes already made: shutdownOutput() now would cut them off (netty-quic.md §2.5). */
    private void writeFin(final ByteBuf last)
    {
        channel.writeAndFlush(new DefaultQuicStreamFrame(last == null ? Unpooled.EMPTY_BUFFER : last, true),
            channel.voidPromise());
    }
}
