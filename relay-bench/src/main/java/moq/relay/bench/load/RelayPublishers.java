package moq.relay.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.MoqClient;
import moq.relay.wire.Draft;
import moq.relay.wire.lite.LiteVersion;

/**
 * The publishers of a run through the relay: one {@link MoqClient} per publisher (PUBLISH_NAMESPACE {@code bench/pN},
 * every track registered) or, with a moq-lite version, one {@link LiteClient} per publisher (broadcast
 * {@code bench/pN}, announced when the relay asks), and one sender thread per track that generates stamped objects at
 * the track's rate (or, at rate 0, as fast as the client's queued bytes stay under the bound), one subgroup stream
 * (moq-lite: Group Stream) per group, each group ended with an End of Group object (moq-lite: the stream's FIN).
 */
final class RelayPublishers implements AutoCloseable
{
    /** Longest a closed-loop sender waits for its slowest subscriber before it sends anyway. */
    private static final long MAX_WINDOW_WAIT_NANOS = 1_000_000_000L;

    private final List<MoqClient> clients = new ArrayList<>();
    private final List<LiteClient> liteClients = new ArrayList<>();
    private final Map<TrackKey, TrackSink> tracks = new LinkedHashMap<>();
    private final Map<TrackKey, AtomicLong> published = new LinkedHashMap<>();
    private final List<Thread> senders = new ArrayList<>();
    private final long maxQueuedBytes;
    private volatile boolean stopping;

    private RelayPublishers(final long maxQueuedBytes)
    {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    static RelayPublishers open(final Workload workload, final InetSocketAddress server, final EventLoopGroup group,
        final Duration timeout) throws Exception
    {
        return open(workload, null, server, group, timeout);
    }

    /** With {@code lite} non-null the publishers are moq-lite clients of that version. */
    static RelayPublishers open(final Workload workload, final LiteVersion lite, final InetSocketAddress server,
        final EventLoopGroup group, final Duration timeout) throws Exception
    {
        final RelayPublishers p = new RelayPublishers(workload.maxQueuedBytes());
        try
        {
            if (lite != null)
            {
                p.openLite(workload, lite, server, group, timeout);
                return p;
            }
            final Draft draft = workload.draft();
            final ClientConfig config = ClientConfig.of(server.getHostString(), server.getPort(), draft,
                ClientTrust.insecure()).withTimeouts(timeout, Duration.ofSeconds(60));
            for (int i = 0; i < workload.publishers(); i++)
            {
                final MoqClient client = MoqClient.connect(config, group).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                p.clients.add(client);
                client.publishNamespace(TrackKey.namespace(i)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            for (final TrackKey key : workload.allTracks())
            {
                p.tracks.put(key, TrackSink.moqt(p.clients.get(key.publisher()).track(key.namespace(), key.trackName(),
                    128)));
                p.published.put(key, new AtomicLong());
            }
            return p;
        }
        catch (final Exception e)
        {
            p.close();
            throw e;
        }
    }

    /**
     * moq-lite publishers: broadcast {@code bench/pN} with the publisher's tracks, each at priority 128; returns once
     * every broadcast was announced to the relay (so that subscribers find it).
     */
    private void openLite(final Workload workload, final LiteVersion lite, final InetSocketAddress server,
        final EventLoopGroup group, final Duration timeout) throws Exception
    {
        for (int i = 0; i < workload.publishers(); i++)
        {
            liteClients.add(LiteClient.connect(server.getHostString(), server.getPort(), lite, ClientTrust.insecure(),
                timeout, group).get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        for (final TrackKey key : workload.allTracks())
        {
            tracks.put(key, TrackSink.lite(liteClients.get(key.publisher()).publish(broadcast(key.publisher()),
                key.spec().name(), 128)));
            published.put(key, new AtomicLong());
        }
        for (int i = 0; i < liteClients.size(); i++)
        {
            liteClients.get(i).announced(broadcast(i)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Publisher {@code i}'s broadcast path: its MoQT namespace's fields joined by '/'. */
    private static String broadcast(final int publisher)
    {
        return "bench/p" + publisher;
    }

    /** Waits until the relay has subscribed to every track in {@code keys} (so no object is sent to nobody). */
    void awaitSubscribed(final List<TrackKey> keys, final Duration timeout) throws Exception
    {
        for (final TrackKey key : keys)
        {
            tracks.get(key).firstSubscriber().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts every track's sender. An unpaced (rate 0) track is closed-loop: it keeps at most the in-flight bound of
     * bytes sent but not yet reached by its slowest subscriber ({@link SubscriberSessions#slowest}),
     * the way the ceiling is held back by its streams' writability; otherwise the relay would only be measured
     * skipping overloaded subscribers to the next group.
     */
    void start(final SubscriberSessions slowest)
    {
        for (final Map.Entry<TrackKey, TrackSink> e : tracks.entrySet())
        {
            final Thread t = new Thread(() -> send(e.getKey(), e.getValue(), slowest),
                "publisher-" + e.getKey().label());
            t.setDaemon(true);
            senders.add(t);
            t.start();
        }
    }

    /** Stops every sender (each ends its group and the track with PUBLISH_DONE); returns objects sent per track. */
    Map<TrackKey, Long> stop() throws InterruptedException
    {
        stopping = true;
        for (final Thread t : senders)
        {
            t.join(10_000);
        }
        final Map<TrackKey, Long> counts = new LinkedHashMap<>();
        published.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    private void send(final TrackKey key, final TrackSink track, final SubscriberSessions progress)
    {
        final long window = Math.max(1, maxQueuedBytes / key.spec().objectSize());
        long allowed = 0;
        long slack = 0;
        final TrackSpec spec = key.spec();
        final ByteBuf template = Payloads.template(spec.objectSize());
        final ByteBuf firstTemplate = Payloads.template(spec.firstObjectSize());
        final AtomicLong count = published.get(key);
        final long interval = spec.rate() <= 0 ? 0 : (long)(1e9 / spec.rate());
        long next = System.nanoTime();
        long sequence = 0;
        boolean groupOpen = false;
        try
        {
            while (!stopping)
            {
                if (interval > 0)
                {
                    long wait;
                    while ((wait = next - System.nanoTime()) > 0 && !stopping)
                    {
                        LockSupport.parkNanos(wait);
                    }
                    next += interval;
                }
                else
                {
                    final long waitLimit = System.nanoTime() + MAX_WINDOW_WAIT_NANOS;
                    while (!stopping && sequence >= allowed)
                    {
                        final long slowest = progress.slowest(key);
                        allowed = slowest == Long.MAX_VALUE ? Long.MAX_VALUE : slowest + window + slack;
                        if (System.nanoTime() > waitLimit)
                        {
                            // The slowest subscriber will never receive some objects (the relay moved it to the next
                            // group, or its session closed): accept that deficit instead of stalling the run.
                            slack = sequence + 1 - slowest - window;
                            allowed = sequence + 1;
                            break;
                        }
                        if (sequence >= allowed)
                        {
                            LockSupport.parkNanos(50_000);
                        }
                    }
                    // Never run ahead of the client itself: objects handed over but not yet written by its event
                    // loop, and bytes written but not yet taken by QUIC, are both bounded (else they pile up here).
                    while (!stopping &&
                        (track.unwritten(sequence, spec) > window || track.queuedBytes() > maxQueuedBytes))
                    {
                        LockSupport.parkNanos(50_000);
                    }
                }
                if (stopping)
                {
                    break;
                }
                final long group = sequence / spec.groupLength();
                final long object = sequence % spec.groupLength();
                track.object(group, object, Payloads.stamped(PooledByteBufAllocator.DEFAULT, object == 0 ?
                    firstTemplate : template));
                groupOpen = true;
                sequence++;
                count.set(sequence);
                if (object == spec.groupLength() - 1)
                {
                    track.endGroup(group, spec.groupLength());
                    groupOpen = false;
                }
            }
            if (groupOpen)
            {
                track.endGroup((sequence - 1) / spec.groupLength(), sequence % spec.groupLength());
            }
            track.finish();
        }
        finally
        {
            template.release();
            firstTemplate.release();
        }
    }

    /** Keeps every publisher's connection from going idle ({@link MoqClient#keepAlive()}) while nothing is sent. */
    void keepAlive()
    {
        clients.forEach(MoqClient::keepAlive);
    }

    @Override
    public void close()
    {
        stopping = true;
        clients.parallelStream().forEach(MoqClient::close);
        clients.clear();
        liteClients.parallelStream().forEach(LiteClient::close);
        liteClients.clear();
    }
}
