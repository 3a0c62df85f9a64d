package moq.relay.transport.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamStarts} on a real event loop: a burst of streams opened by one connection, each costing the loop a
 * millisecond of work when it starts (as a subgroup or request stream's handlers do), while another connection's
 * datagrams arrive on a socket of the same loop every millisecond. With the bound, the burst starts a slice at a time
 * and the other connection's datagrams are read between the slices; without it (0, the relay before the bound) the
 * whole burst runs in one go and nothing else is read until it ends.
 */
class StreamStartsTest
{
    private static final int BURST = 120;
    private static final int PER_TURN = 8;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop()
    {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aBurstStartsASliceAtATimeAndAnotherConnectionIsReadBetweenTheSlices() throws Exception
    {
        final Run run = burst(PER_TURN);
        assertThat(run.started.get()).as("every stream of the burst started").isEqualTo(BURST);
        assertThat(run.starts.deferred()).isEqualTo(BURST - PER_TURN);
        assertThat(run.starts.resumingTurns()).isGreaterThanOrEqualTo((BURST - PER_TURN) / PER_TURN);
        assertThat(run.readsDuringBurst()).as("the other connection's datagrams read while the burst went on " +
            "(stream starts seen at each read: %s)", run.seen).isGreaterThanOrEqualTo(5);
        assertThat(run.largestSliceBetweenReads()).as("streams started between two reads of the other connection " +
            "(%s)", run.seen).isLessThanOrEqualTo(2 * PER_TURN);
    }

    @Test
    void withoutTheBoundTheBurstStartsInOneGoAndNothingElseIsReadMeanwhile() throws Exception
    {
        final Run run = burst(0);
        assertThat(run.started.get()).isEqualTo(BURST);
        assertThat(run.starts.deferred()).isZero();
        assertThat(run.readsDuringBurst()).as("%s", run.seen).isZero();
    }

    @Test
    void aStreamClosedWhileItWaitedIsNotStarted() throws Exception
    {
        final EventLoop loop = group.next();
        final AtomicInteger started = new AtomicInteger();
        final StreamStarts starts = new StreamStarts(loop, 1);
        final List<EmbeddedChannel> streams = new ArrayList<>();
        loop.submit(() ->
        {
            for (int i = 0; i < 3; i++)
            {
                streams.add(open(starts, started, 0));
            }
            streams.get(1).close();
        }).sync();
        awaitStarted(started, 2);
        Thread.sleep(50);
        assertThat(started.get()).isEqualTo(2);
        assertThat(streams.get(2).config().isAutoRead()).isTrue();
        assertThat(starts.waiting()).isZero();
    }

    private Run burst(final int perTurn) throws Exception
    {
        final EventLoop loop = group.next();
        final Run run = new Run(new StreamStarts(loop, perTurn));
        final Channel other = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
            .handler(new SimpleChannelInboundHandler<DatagramPacket>()
            {
                @Override
                protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket msg)
                {
                    run.seen.add(run.started.get());
                }
            }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            final java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[8], 8,
                other.localAddress());
            // One I/O batch of the attacker: every stream of the burst opened in one go on the loop.
            loop.execute(() ->
            {
                for (int i = 0; i < BURST; i++)
                {
                    open(run.starts, run.started, 1);
                }
            });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (run.started.get() < BURST && System.nanoTime() < deadline)
            {
                peer.send(packet);
                Thread.sleep(1);
            }
            peer.send(packet);
            awaitStarted(run.started, BURST);
        }
        finally
        {
            other.close().sync();
        }
        return run;
    }

    /** A stream as netty hands it to the transport: its handlers added, then admitted, then registered. */
    private static EmbeddedChannel open(final StreamStarts starts, final AtomicInteger started, final long workMillis)
    {
        final EmbeddedChannel stream = new EmbeddedChannel();
        stream.pipeline().addLast(new ChannelOutboundHandlerAdapter()
        {
            @Override
            public void read(final ChannelHandlerContext ctx)
            {
                // The stream's handlers start: its first read (header, request) and what it costs the loop.
                final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(workMillis);
                while (System.nanoTime() < until)
                {
                    Thread.onSpinWait();
                }
                started.incrementAndGet();
                ctx.pipeline().remove(this);
            }
        });
        starts.admit(stream);
        if (stream.config().isAutoRead())
        {
            stream.read(); // registration reads an auto-read stream at once
        }
        return stream;
    }

    private static void awaitStarted(final AtomicInteger started, final int n) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (started.get() < n && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
    }

    private static final class Run
    {
        final StreamStarts starts;
        final AtomicInteger started = new AtomicInteger();
        /** Streams started when each of the other connection's datagrams was read. */
        final List<Integer> seen = new CopyOnWriteArrayList<>();

        Run(final StreamStarts starts)
        {
            this.starts = starts;
        }

        long readsDuringBurst()
        {
            return seen.stream().filter(n -> n > 0 && n < BURST).count();
        }

        int largestSliceBetweenReads()
        {
            int largest = 0;
            int previous = -1;
            for (final int n : seen)
            {
                if (previous >= 0 && n > 0 && previous < BURST)
                {
                    largest = Math.max(largest, n - previous);
                }
                previous = n;
            }
            return largest;
        }
    }
}
