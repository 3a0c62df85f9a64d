package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.lite.LiteCodec;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Subscribe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A moq-lite watcher that grants no stream credit for a while, as a CPU-starved browser does, while the publisher sends
 * audio as one-frame groups at 50 a second (each its own Group Stream, as {@code @moq/publish} sends Opus). The raw
 * QUIC moq-lite-04 subscriber allows 10 uni streams and reads none of them for 3 s, then reads everything.
 * <p>
 * The relay's Group Stream opens waiting for credit must stay fresh, as the MoQT subgroup streams' do
 * ({@link SlowStreamCreditTest}): an open superseded by a newer group of its subscription gives up its place (never
 * opened, counted as a skipped subgroup), so once credit returns the watcher gets the live edge, not a
 * first-in-first-out queue of stale groups that keeps the call seconds behind.
 */
class LiteSlowStreamCreditTest
{
    private static final Bytes AUDIO = Bytes.utf8("audio");
    private static final long SLOW_MS = 3000;
    private static final long FAST_MS = 1500;

    @TempDir
    static Path certDir;

    private RelayFixture relay;
    private QuicTestClient client;
    /** Group sequence of each Group Stream the relay opened, with when the subscriber read its header. */
    private final Map<Long, Long> groupRead = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<QuicStreamChannel> unread = new ConcurrentLinkedQueue<>();
    private final List<Long> published = new CopyOnWriteArrayList<>();
    private volatile boolean readAll;

    @AfterEach
    void stop()
    {
        if (client != null)
        {
            client.close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    @Test
    void aCreditStarvedLiteWatcherGetsTheNewestGroupsAndTheSkipsAreCounted() throws Exception
    {
        relay = new RelayFixture(certDir, Map.of());
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher audio = publisher.track(NS, AUDIO, 128);

        client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 10_000, LiteVersion.LITE_04.alpn());
        final QuicTestClient.Connection c = client.connect(relay.server.localAddress(), false,
            new ChannelInitializer<QuicStreamChannel>()
            {
                @Override
                protected void initChannel(final QuicStreamChannel stream)
                {
                    if (stream.type() != QuicStreamType.UNIDIRECTIONAL)
                    {
                        stream.pipeline().addLast(new Discard()); // the relay's Announce Stream (ANNOUNCE_PLEASE)
                        stream.config().setAutoRead(true);
                        return;
                    }
                    stream.pipeline().addLast(new GroupHeader());
                    if (readAll)
                    {
                        stream.config().setAutoRead(true);
                    }
                    else
                    {
                        unread.add(stream);
                    }
                }
            });
        final byte[] body = LiteCodec.of(LiteVersion.LITE_04).encode(new Subscribe(0, "live/room", "audio", 80, true,
            0, 0, 0));
        final byte[] opener = new byte[1 + body.length];
        opener[0] = (byte)LiteStreamType.SUBSCRIBE;
        System.arraycopy(body, 0, opener, 1, body.length);
        c.channel().createStream(QuicStreamType.BIDIRECTIONAL, new Discard()).get(5, TimeUnit.SECONDS)
            .writeAndFlush(Unpooled.wrappedBuffer(opener)).sync();
        audio.firstSubscriber().get(5, TimeUnit.SECONDS);

        final Thread media = new Thread(() -> publish(audio), "media");
        media.start();
        Thread.sleep(SLOW_MS);
        final long resumedAfter = published.size(); // groups published while no credit came back
        readAll = true;
        QuicStreamChannel s;
        while ((s = unread.poll()) != null)
        {
            final QuicStreamChannel stream = s;
            stream.eventLoop().execute(() -> stream.config().setAutoRead(true));
        }
        media.join();
        final long total = published.size();
        RelayFixture.await(() -> groupRead.containsKey(total - 1), () -> "the last group's stream, got " +
            groupRead.keySet().size() + " streams");
        long skipped = 0;
        for (int i = 0; i < relay.relay.egressLoopCount(); i++)
        {
            skipped += relay.relay.egressLoop(i).counters().subgroupsSkipped();
        }
        final long stale = groupRead.keySet().stream().filter(g -> g >= 10 && g < resumedAfter - 10).count();
        System.out.printf("lite slow credit: %d groups published (%d before credit returned), %d streams opened, " +
            "%d skipped, %d stale streams opened after credit returned%n", total, resumedAfter, groupRead.size(),
            skipped, stale);
        assertThat(stale).as("streams of groups published long before the credit returned (a FIFO would open all " +
            (resumedAfter - 20) + ")").isLessThan(10);
        assertThat(skipped).as("groups skipped while their open waited for credit").isGreaterThan(resumedAfter / 2);
        assertThat(groupRead.size() + skipped).as("every group opened or skipped").isEqualTo(total);
    }

    /** A one-frame group every 20 ms. */
    private void publish(final TrackPublisher audio)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SLOW_MS + FAST_MS);
        long group = 0;
        while (System.nanoTime() < end)
        {
            final SubgroupWriter w = audio.openSubgroup(group, 0);
            w.write(0, Unpooled.wrappedBuffer(new byte[120]));
            w.close();
            published.add(group++);
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final class Discard extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ((ByteBuf)msg).release();
        }
    }

    /** Reads a Group Stream's header (type 0x0, length, subscribe id, sequence: varints) and records the sequence. */
    private final class GroupHeader extends ChannelInboundHandlerAdapter
    {
        private final ByteBuf head = Unpooled.buffer();
        private boolean done;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            try
            {
                if (!done)
                {
                    head.writeBytes(b);
                    final long[] fields = new long[4];
                    int at = 0;
                    for (int i = 0; i < 4; i++)
                    {
                        if (at >= head.writerIndex())
                        {
                            return;
                        }
                        final int length = 1 << (head.getUnsignedByte(at) >> 6);
                        if (at + length > head.writerIndex())
                        {
                            return;
                        }
                        long v = head.getUnsignedByte(at) & 0x3F;
                        for (int k = 1; k < length; k++)
                        {
                            v = v << 8 | head.getUnsignedByte(at + k);
                        }
                        fields[i] = v;
                        at += length;
                    }
                    done = true;
                    head.release();
                    groupRead.put(fields[3], System.nanoTime());
                }
            }
            finally
            {
                b.release();
            }
        }
    }
}
