package moq.relay.transport.quic;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import moq.relay.config.RelayConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UdpTransportTest
{
    /**
     * Every UDP read of the relay fills a 64 KiB receive buffer. Netty's default allocator pools nothing that large in
     * a JVM of at most 512 MiB heap (the hostile-peer suite's relay runs with 160 MiB), so each read allocated a
     * direct buffer, zeroed 64 KiB and freed it again; the relay's sockets now read into pooled arena buffers in any
     * JVM (this test's heap is large, so what it checks is where the buffer came from, not the default's choice).
     */
    @Test
    void theSocketReadsIntoPooledBuffers() throws Exception
    {
        final QuicSettings settings = QuicSettings.from(RelayConfiguration.defaults());
        final UdpTransport transport = UdpTransport.select(true, settings);
        final EventLoopGroup group = transport.newEventLoopGroup(1, "udp-transport-test");
        try
        {
            final CompletableFuture<ByteBufAllocator> readInto = new CompletableFuture<>();
            final Channel server = transport.newBootstrap(group, false).handler(
                new SimpleChannelInboundHandler<DatagramPacket>()
                {
                    @Override
                    protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
                    {
                        readInto.complete(packet.content().alloc());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            final Channel client = transport.newBootstrap(group, false)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>()
                {
                    @Override
                    protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
                    {
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            final PooledByteBufAllocator pool = (PooledByteBufAllocator)UdpTransport.BUFFERS;
            final long before = pool.metric().directArenas().stream().mapToLong(a -> a.numNormalAllocations()).sum();
            client.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[1200]),
                (InetSocketAddress)server.localAddress())).sync();

            assertThat(readInto.get(5, TimeUnit.SECONDS)).as("the allocator of the buffer a read filled")
                .isSameAs(UdpTransport.BUFFERS);
            assertThat(pool.metric().directArenas().stream().mapToLong(a -> a.numNormalAllocations()).sum())
                .as("64 KiB receive buffers served from the pool's arenas").isGreaterThan(before);
            client.close().sync();
            server.close().sync();
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
