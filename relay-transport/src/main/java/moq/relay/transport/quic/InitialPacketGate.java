package moq.relay.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

/**
 * Sits in front of the QUIC codec on every UDP socket. Once {@link #close() closed} it drops QUIC Initial
 * packets, so no new connection starts while established ones (short-header packets) keep flowing: the "stop
 * accepting" step of a graceful shutdown. A handshake still in its Initial exchange when the gate closes stalls and
 * times out on the client, which is what a client of a draining relay should see.
 */
@ChannelHandler.Sharable
public final class InitialPacketGate extends ChannelInboundHandlerAdapter
{
    /** Long header form bit plus the two type bits (RFC 9000 17.2); Initial is type 0 in QUIC v1. */
    private static final int LONG_HEADER_TYPE_MASK = 0xB0;
    private static final int LONG_HEADER_INITIAL_V1 = 0x80;

    private final InitialRefusals refusals;
    private volatile boolean open = true;

    public InitialPacketGate()
    {
        this(InitialRefusals.NONE);
    }

    /** @param refusals offered each Initial datagram while the codec reads it, to answer a refused one. */
    public InitialPacketGate(final InitialRefusals refusals)
    {
        this.refusals = refusals;
    }

    public void close()
    {
        open = false;
    }

    public boolean isOpen()
    {
        return open;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof DatagramPacket && isInitial(((DatagramPacket)msg).content()))
        {
            final DatagramPacket packet = (DatagramPacket)msg;
            if (!open)
            {
                // Ownership: the packet was ours to pass on; dropping it means releasing it.
                packet.release();
                return;
            }
            // The codec reads (and then releases) the packet inside this call: the offer ends before it returns.
            refusals.enter(ctx, packet);
            try
            {
                ctx.fireChannelRead(packet);
            }
            finally
            {
                refusals.exit();
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    static boolean isInitial(final ByteBuf packet)
    {
        return packet.isReadable() &&
            (packet.getUnsignedByte(packet.readerIndex()) & LONG_HEADER_TYPE_MASK) == LONG_HEADER_INITIAL_V1;
    }
}
