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
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Draft;

/**
 * The publishers of a run through the relay: one {@link MoqClient} per publisher (PUBLISH_NAMESPACE {@code bench/pN},
 * every track registered), and one sender thread per track that generates stamped objects at the track's rate (or,
 * at rate 0, as fast as the client's queued bytes stay under the bound), one subgroup stream per group, each group
 * ended with an End of Group object.
 */
final class RelayPublishers implements AutoCloseable
{
    private static final long TRACK_ENDED = 0x2;
    /** Longest a closed-loop sender waits for its slowest subscriber before it sends anyway. */
    private static final long MAX_WINDOW_WAIT_NANOS = 1_000_000_000L;

    private final List<MoqClient> clients = new ArrayList<>();
    private final Map<TrackKey, TrackPublisher> tracks = new LinkedHashMap<>();
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
        final RelayPublishers p = new RelayPublishers(workload.maxQueuedBytes());
        try
        {
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
                p.tracks.put(key, p.clients.get(key.publisher()).track(key.namespace(), key.trackName(), 128));
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
        for (final Map.Entry<TrackKey, TrackPublisher> e : tracks.entrySet())
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

    private void send(final TrackKey key, final TrackPublisher track, final SubscriberSessions progress)
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
        SubgroupWriter writer = null;
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
                        (sequence - written(track, spec) > window || track.queuedBytes() > maxQueuedBytes))
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
                if (object == 0)
                {
                    writer = track.openSubgroup(group, 0);
                }
                writer.write(object, Payloads.stamped(PooledByteBufAllocator.DEFAULT, object == 0 ? firstTemplate :
                    template));
                sequence++;
                count.set(sequence);
                if (object == spec.groupLength() - 1)
                {
                    writer.endGroup(spec.groupLength());
                    writer = null;
                }
            }
            if (writer != null)
            {
                writer.endGroup(sequence % spec.groupLength());
            }
            track.finish(TRACK_ENDED, "load run ended");
        }
        finally
        {
            template.release();
            firstTemplate.release();
        }
    }

    /** Objects of {@code track} the client's event loop has written so far (its largest location, as a count). */
    private static long written(final TrackPublisher track, final TrackSpec spec)
    {
        final moq.relay.wire.Location l = track.largest();
        return l == null ? 0 : l.group() * spec.groupLength() + l.object() + 1;
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
    }
}
