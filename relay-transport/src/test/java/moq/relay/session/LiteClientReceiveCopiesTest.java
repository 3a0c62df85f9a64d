package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.ClientConfig;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.LiteVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moq-lite client reads Group Streams in place: a frame costs its subscriber one copy of the payload into a
 * pooled buffer, not fresh heap arrays per chunk. The load suite's lite subscribers run on a generator's two threads
 * next to the relay; copying every chunk twice through new arrays made them slow enough on a loaded box that the
 * relay skipped them (too far behind), which the suite reported as lost objects.
 */
class LiteClientReceiveCopiesTest
{
    private static final int FRAME = 64 * 1024;
    private static final int WARMUP = 40;
    private static final int FRAMES = 200;

    @TempDir
    static Path certDir;

    @Test
    @Timeout(60)
    void aReceivedFrameAllocatesLessHeapThanItsPayload() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (RelayFixture relay = new RelayFixture(certDir);
             MoqClient pub = MoqClient.connect(ClientConfig.of("127.0.0.1", relay.server.localAddress().getPort(),
                 Draft.DRAFT_18, ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
             LiteClient sub = LiteClient.connect("127.0.0.1", relay.server.localAddress().getPort(),
                 LiteVersion.LITE_05, ClientTrust.insecure(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS))
        {
            pub.publishNamespace(TrackNamespace.of("alloc", "test")).get(10, TimeUnit.SECONDS);
            final TrackPublisher track = pub.track(TrackNamespace.of("alloc", "test"), Bytes.utf8("data"), 128);
            final CountDownLatch warm = new CountDownLatch(WARMUP);
            final CountDownLatch all = new CountDownLatch(FRAMES);
            final AtomicLong atWarm = new AtomicLong();
            final AtomicLong atEnd = new AtomicLong();
            final AtomicLong corrupt = new AtomicLong();
            final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            sub.subscribe("alloc/test", "data", 128, (group, index, payload) ->
            {
                final long allocated = threads.getCurrentThreadAllocatedBytes();
                seen.add(group + "/" + index);
                if (payload.readableBytes() != FRAME || payload.getByte(payload.readerIndex() + FRAME - 1) !=
                    (byte)(group * 10 + index))
                {
                    corrupt.incrementAndGet();
                }
                if (warm.getCount() == 1)
                {
                    atWarm.set(allocated);
                }
                if (all.getCount() == 1)
                {
                    atEnd.set(allocated);
                }
                warm.countDown();
                all.countDown();
            }).get(10, TimeUnit.SECONDS);
            track.firstSubscriber().get(10, TimeUnit.SECONDS);
            SubgroupWriter writer = null;
            for (int i = 0; i < FRAMES; i++)
            {
                final long group = i / 10;
                if (i % 10 == 0)
                {
                    writer = track.openSubgroup(group, 0);
                }
                writer.write(i % 10, Unpooled.directBuffer(FRAME).writeZero(FRAME - 1)
                    .writeByte((int)(group * 10 + i % 10)));
                if (i % 10 == 9)
                {
                    writer.endGroup(10);
                }
                // Closed loop, as the load suite's: at most 4 frames ahead of the subscriber (the relay would
                // otherwise skip it as too far behind past the fixture's backlog bound: not what this test is about).
                final long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (i + 1 - (FRAMES - all.getCount()) > 4 && System.nanoTime() < give)
                {
                    Thread.sleep(1);
                }
            }
            all.await(15, TimeUnit.SECONDS);
            assertThat(all.getCount()).as("frames not arrived; seen " + new java.util.TreeSet<>(seen)
 + ", relay too-far-behind resets: " +
                relay.relay.egressLoop(0).counters().tooFarBehindResets()).isZero();
            assertThat(corrupt.get()).as("frames with a wrong length or last byte").isZero();
            final long perFrame = (atEnd.get() - atWarm.get()) / (FRAMES - WARMUP);
            assertThat(perFrame).as("heap bytes the subscriber's event loop allocated per %d-byte frame", FRAME)
                .isLessThan(FRAME / 2);
        }
    }
}
