package moq.relay.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The UDP socket flavour: native epoll (GSO, GRO, SO_REUSEPORT) when available and wanted, else NIO with one
 * socket. Knows which socket options each flavour takes.
 */
public final class UdpTransport
{
    /**
     * The UDP sockets' buffers: every read's {@link QuicSettings#udpReceiveAllocation()} (64 KiB) receive buffer and
     * the QUIC codec's outgoing packets, pooled whatever the JVM's heap. Netty's default (adaptive) allocator pools
     * nothing above 16,896 bytes in a JVM of at most 512 MiB heap ({@code io.netty.allocator.lowMemory}, e.g. the
     * hostile-peer suite's -Xmx160m relay): there every read allocated a fresh direct buffer, zeroed its 64 KiB and
     * freed it again, about 5 % of the event loops' CPU (docs/hardening.md). A pooled arena buffer is neither zeroed nor
     * freed. Ownership is netty's as before: the channel's read owns the buffer and the QUIC codec releases it once
     * quiche has taken the packets, within the same read.
     */
    static final ByteBufAllocator BUFFERS = new PooledByteBufAllocator(true);

    private final boolean epoll;
    private final QuicSettings settings;

    private UdpTransport(final boolean epoll, final QuicSettings settings)
    {
        this.epoll = epoll;
        this.settings = settings;
    }

    /** Epoll if {@code preferEpoll} and the native library loads here, else NIO. */
    public static UdpTransport select(final boolean preferEpoll, final QuicSettings settings)
    {
        return new UdpTransport(preferEpoll && Epoll.isAvailable(), settings);
    }

    public boolean isEpoll()
    {
        return epoll;
    }

    /** Several sockets on one port need SO_REUSEPORT, which only the epoll transport sets. */
    public boolean supportsReusePort()
    {
        return epoll;
    }

    public EventLoopGroup newEventLoopGroup(final int threads, final String name)
    {
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), io);
    }

    /** A bootstrap for one UDP socket with the configured socket options. */
    public Bootstrap newBootstrap(final EventLoopGroup group, final boolean reusePort)
    {
        final Bootstrap bootstrap = new Bootstrap().group(group)
            .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
            // With GRO one read can return up to 64 KiB of coalesced packets: a smaller (adaptive) buffer
            // truncates them and throughput collapses (netty-quic.md 2.4).
            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(settings.udpReceiveAllocation()))
            .option(ChannelOption.ALLOCATOR, BUFFERS);
        if (settings.soRcvbuf() > 0)
        {
            bootstrap.option(ChannelOption.SO_RCVBUF, settings.soRcvbuf());
        }
        if (settings.soSndbuf() > 0)
        {
            bootstrap.option(ChannelOption.SO_SNDBUF, settings.soSndbuf());
        }
        if (epoll)
        {
            // Never EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE (recvmmsg) together with GRO: netty 4.2.18 loses
            // the GRO segment size on that path (netty/netty#17492, fixed after 4.2.18).
            bootstrap.option(EpollChannelOption.UDP_GRO, settings.gro());
            if (reusePort)
            {
                bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
            }
        }
        return bootstrap;
    }

    /** GSO packet allocator for the QUIC codec, or NONE when GSO is off or unsupported. */
    public SegmentedDatagramPacketAllocator segmentedAllocator()
    {
        if (epoll && settings.gso() && EpollDatagramChannel.isSegmentedDatagramPacketSupported())
        {
            return EpollQuicUtils.newSegmentedAllocator(settings.gsoSegments());
        }
        return SegmentedDatagramPacketAllocator.NONE;
    }

    @Override
    public String toString()
    {
        final boolean gso = segmentedAllocator() != SegmentedDatagramPacketAllocator.NONE;
        return epoll ? "epoll (GSO " + (gso ? "on" : "off") + ", GRO " + (settings.gro() ? "on" : "off") + ")" :
            "nio";
    }
}
