package moq.relay.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A well-behaved publisher and subscriber of one track through the relay: the publisher sends an object every
 * {@code 1000 / rate} ms (groups of {@link #OBJECTS_PER_GROUP}), each stamped with its sequence number and
 * {@link System#nanoTime()} at the write; the subscriber records every sequence number it receives and the latency of
 * each object (stamp to delivery, microseconds) in an HdrHistogram {@link Recorder}, read per measurement window.
 */
final class HealthyPair implements AutoCloseable, SubscriptionListener
{
    static final TrackNamespace NS = TrackNamespace.of("healthy", "room");
    static final Bytes TRACK = Bytes.utf8("video");
    static final int OBJECTS_PER_GROUP = 10;
    private static final int PAYLOAD_BYTES = 512;

    private final MoqClient publisher;
    private final MoqClient subscriber;
    private final TrackPublisher track;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "healthy-publisher");
        t.setDaemon(true);
        return t;
    });
    private final Recorder latency = new Recorder(3);
    /** Samples above {@link #SLOW_MICROS}: wall-clock arrival (ms) and latency (us), for diagnosis. */
    final java.util.concurrent.ConcurrentLinkedQueue<long[]> slow = new java.util.concurrent.ConcurrentLinkedQueue<>();
    static final long SLOW_MICROS = 10_000;
    private final BitSet received = new BitSet();
    private volatile long sent;
    private SubgroupWriter group;

    HealthyPair(final InetSocketAddress relay, final int objectsPerSecond) throws Exception
    {
        this(relay, objectsPerSecond, NS);
    }

    /** A pair of track {@link #TRACK} in {@code namespace}. */
    HealthyPair(final InetSocketAddress relay, final int objectsPerSecond, final TrackNamespace namespace)
        throws Exception
    {
        publisher = connect(relay);
        subscriber = connect(relay);
        try
        {
            publisher.publishNamespace(namespace).get(10, TimeUnit.SECONDS);
            track = publisher.track(namespace, TRACK, 128);
            subscriber.subscribe(namespace, TRACK, SubscribeOptions.LATEST, this).get(10, TimeUnit.SECONDS);
            track.firstSubscriber().get(10, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            clock.shutdownNow();
            subscriber.close();
            publisher.close();
            throw e;
        }
        final long periodMicros = 1_000_000L / objectsPerSecond;
        clock.scheduleAtFixedRate(this::publishNext, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    static MoqClient connect(final InetSocketAddress relay) throws Exception
    {
        return MoqClient.connect(ClientConfig.of("127.0.0.1", relay.getPort(), Draft.DRAFT_18, ClientTrust.insecure()))
            .get(10, TimeUnit.SECONDS);
    }

    /** The first exception the publisher or subscriber threw (a scheduled task that throws stops). */
    volatile Throwable failure;

    private void publishNext()
    {
        try
        {
            publishNextObject();
        }
        catch (final Throwable t)
        {
            if (failure == null)
            {
                failure = t;
            }
            throw t;
        }
    }

    private void publishNextObject()
    {
        final long seq = sent;
        final long objectId = seq % OBJECTS_PER_GROUP;
        if (objectId == 0)
        {
            group = track.openSubgroup(seq / OBJECTS_PER_GROUP, 0);
        }
        final ByteBuf payload = Unpooled.buffer(PAYLOAD_BYTES);
        payload.writeLong(seq);
        payload.writeLong(System.nanoTime());
        payload.writerIndex(PAYLOAD_BYTES);
        group.write(objectId, payload);
        if (objectId == OBJECTS_PER_GROUP - 1)
        {
            group.endGroup(OBJECTS_PER_GROUP);
        }
        sent = seq + 1;
    }

    @Override
    public void onObject(final ReceivedObject o)
    {
        try
        {
            record(o);
        }
        catch (final Throwable t)
        {
            if (failure == null)
            {
                failure = t;
            }
            throw t;
        }
    }

    private void record(final ReceivedObject o)
    {
        if (o.status() != ObjectStatus.NORMAL)
        {
            return;
        }
        final long now = System.nanoTime();
        final ByteBuf p = o.payload();
        final long seq = p.getLong(p.readerIndex());
        final long stamped = p.getLong(p.readerIndex() + 8);
        final long micros = Math.max(0, (now - stamped) / 1_000);
        latency.recordValue(micros);
        if (micros > SLOW_MICROS)
        {
            slow.add(new long[] {System.currentTimeMillis(), micros, seq});
        }
        synchronized (received)
        {
            received.set((int)seq);
        }
    }

    /** Objects published so far. */
    long sent()
    {
        return sent;
    }

    /** Starts a measurement window (drops what was recorded before). */
    void startWindow()
    {
        latency.reset();
    }

    /** The latencies (microseconds) recorded since {@link #startWindow()}. */
    Histogram endWindow()
    {
        return latency.getIntervalHistogram();
    }

    /**
     * Waits up to {@code timeoutMillis} until every object published before the call was received; returns the
     * sequence numbers still missing (empty when none was lost).
     */
    List<Long> missingAfter(final long timeoutMillis) throws InterruptedException
    {
        final long upTo = sent;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true)
        {
            final List<Long> missing = new ArrayList<>();
            synchronized (received)
            {
                for (int i = received.nextClearBit(0); i < upTo && missing.size() < 50; i = received.nextClearBit(i + 1))
                {
                    missing.add((long)i);
                }
            }
            if (missing.isEmpty() || System.nanoTime() > deadline)
            {
                return missing;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close()
    {
        clock.shutdownNow();
        try
        {
            clock.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        subscriber.close();
        publisher.close();
    }
}
