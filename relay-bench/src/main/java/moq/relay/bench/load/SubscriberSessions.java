package moq.relay.bench.load;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SessionClose;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectStatus;

/**
 * The subscriber side of a run: one {@link MoqClient} per subscriber session on a shared event loop group, each
 * subscribed to its tracks. Every Normal object is counted and its end-to-end latency (now minus the publisher's
 * {@link PayloadStamp}) recorded.
 */
final class SubscriberSessions implements AutoCloseable
{
    /** Sessions that connect at once: a thousand simultaneous handshakes would only time out on two cores. */
    private static final int CONNECT_BATCH = 64;

    private final List<MoqClient> clients = new ArrayList<>();
    /** Objects received per subscription (index in subscription order), each written by one client's thread. */
    private final AtomicLongArray perSubscription;

    private final List<TrackKey> subscribed = new ArrayList<>();
    /** Subscription indices of each track, fixed once every subscription is made. */
    private final java.util.Map<TrackKey, int[]> byTrack = new java.util.HashMap<>();
    final LongAdder objects = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final AtomicInteger sessionFailures = new AtomicInteger();
    volatile long lastDeliveryNanos;

    private SubscriberSessions(final int subscriptions)
    {
        perSubscription = new AtomicLongArray(subscriptions);
    }

    static SubscriberSessions open(final List<List<TrackKey>> sessions, final Draft draft,
        final InetSocketAddress server, final EventLoopGroup group, final LatencyLog latency, final Duration timeout)
        throws Exception
    {
        final int subscriptions = sessions.stream().mapToInt(List::size).sum();
        final SubscriberSessions s = new SubscriberSessions(subscriptions);
        try
        {
            s.connect(sessions, draft, server, group, latency, timeout);
            return s;
        }
        catch (final Exception e)
        {
            s.close();
            throw e;
        }
    }

    private void connect(final List<List<TrackKey>> sessions, final Draft draft, final InetSocketAddress server,
        final EventLoopGroup group, final LatencyLog latency, final Duration timeout) throws Exception
    {
        final ClientConfig config = ClientConfig.of(server.getHostString(), server.getPort(), draft,
            ClientTrust.insecure()).withTimeouts(timeout, Duration.ofSeconds(60));
        for (int from = 0; from < sessions.size(); from += CONNECT_BATCH)
        {
            final List<CompletableFuture<MoqClient>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(sessions.size(), from + CONNECT_BATCH); i++)
            {
                batch.add(MoqClient.connect(config, group));
            }
            for (final CompletableFuture<MoqClient> f : batch)
            {
                clients.add(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        final List<CompletableFuture<?>> answers = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++)
        {
            for (final TrackKey track : sessions.get(c))
            {
                final int index = subscribed.size();
                subscribed.add(track);
                answers.add(clients.get(c).subscribe(track.namespace(), track.trackName(), SubscribeOptions.LATEST,
                    new Listener(index, latency)));
                if (answers.size() >= CONNECT_BATCH)
                {
                    awaitAll(answers, timeout);
                }
            }
        }
        awaitAll(answers, timeout);
        for (final TrackKey t : subscribed.stream().distinct().toList())
        {
            byTrack.put(t, java.util.stream.IntStream.range(0, subscribed.size())
                .filter(i -> subscribed.get(i).equals(t)).toArray());
        }
    }

    private static void awaitAll(final List<CompletableFuture<?>> futures, final Duration timeout) throws Exception
    {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        futures.clear();
    }

    int sessionCount()
    {
        return clients.size();
    }

    int subscriptionCount()
    {
        return subscribed.size();
    }

    /**
     * Objects the slowest subscriber of {@code track} has received so far (a closed-loop sender runs at most a window
     * ahead of it), or {@code Long.MAX_VALUE} when nobody subscribes to the track. Counted, not the latest location:
     * a subscriber receives several groups' streams at once, so its latest object says nothing about the older ones
     * still queued for it.
     */
    long slowest(final TrackKey track)
    {
        final int[] indices = byTrack.get(track);
        long min = Long.MAX_VALUE;
        if (indices != null)
        {
            for (final int i : indices)
            {
                min = Math.min(min, perSubscription.get(i));
            }
        }
        return min;
    }

    /** The track of each subscription, in subscription order. */
    List<TrackKey> subscriptions()
    {
        return subscribed;
    }

    long received(final int subscription)
    {
        return perSubscription.get(subscription);
    }

    private final class Listener implements SubscriptionListener
    {
        private final int index;
        private final LatencyLog latency;

        Listener(final int index, final LatencyLog latency)
        {
            this.index = index;
            this.latency = latency;
        }

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() != ObjectStatus.NORMAL || o.payloadLength() < PayloadStamp.LENGTH)
            {
                return;
            }
            final long now = System.nanoTime();
            latency.record(now - PayloadStamp.read(o.payload()));
            perSubscription.lazySet(index, perSubscription.get(index) + 1);

            objects.increment();
            bytes.add(o.payloadLength());
            lastDeliveryNanos = now;
        }

        @Override
        public void onSessionClosed(final SessionClose close)
        {
            sessionFailures.incrementAndGet();
        }
    }

    @Override
    public void close()
    {
        clients.parallelStream().forEach(MoqClient::close);
        clients.clear();
    }
}
