package moq.relay.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.SubgroupHeader;
import org.agrona.DirectBuffer;

/**
 * Decodes one stream the relay opened to a raw draft-18 peer into its {@link Opened}: the SUBGROUP_HEADER's track alias
 * and group, and whether an object ended on it; the relay's control stream (not a data stream) is marked alias -2.
 * Shared by the tests that count what a relay-opened stream carried (slow stream credit, a congested subscriber).
 */
final class SubgroupStreamRecorder extends ChannelInboundHandlerAdapter implements DataStreamHandler
{
    /** What one relay-opened stream carried, as far as it was read. */
    static final class Opened
    {
        final long openedAt = System.nanoTime();
        volatile long alias = -1;
        volatile long group = -1;
        volatile boolean object;
    }

    private final Opened opened;
    private final DataStreamDecoder decoder = new DataStreamDecoder(Draft.DRAFT_18, this, 65_535);
    private final ByteBufChunks chunks = new ByteBufChunks(0);
    private boolean ignored;

    SubgroupStreamRecorder(final Opened opened)
    {
        this.opened = opened;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf b = (ByteBuf)msg;
        try
        {
            if (!ignored)
            {
                chunks.feed(b, decoder);
            }
        }
        catch (final WireException e)
        {
            ignored = true;
            opened.alias = -2; // the relay's control stream
        }
        finally
        {
            b.release();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // a stream the relay reset
    }

    @Override
    public void onSubgroupHeader(final SubgroupHeader h)
    {
        opened.alias = h.trackAlias();
        opened.group = h.groupId();
    }

    @Override
    public boolean onFetchHeader(final long requestId)
    {
        return false;
    }

    @Override
    public void onObjectHeader(final ObjectHeader h)
    {
    }

    @Override
    public void onPayload(final DirectBuffer buffer, final int offset, final int length)
    {
    }

    @Override
    public void onObjectEnd()
    {
        opened.object = true;
    }

    @Override
    public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
    {
    }

    @Override
    public void onStreamEnd()
    {
    }
}
