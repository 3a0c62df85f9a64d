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
import moq.relay.client.LiteClient;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SessionClose;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.lite.LiteVersion;

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
    private final List<LiteClient> liteClients = new ArrayList<>();
    /** Objects received per subscription (index in subscription order), each written by one client's thread. */
    private final AtomicLongArray perSubscription;
    /** What each subscription saw of each group (index in subscription order): skips told from losses. */
    private final GroupTally[] tallies;

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
        tallies = new GroupTally[subscriptions];
        for (int i = 0; i < subscriptions; i++)
        {
            tallies[i] = new GroupTally();
        }
    }

    static SubscriberSessions open(final List<List<TrackKey>> sessions, final Draft draft,
        final InetSocketAddress server, final EventLoopGroup group, final LatencyLog latency, final Duration timeout)
        throws Exception
    {
        return open(sessions, draft, null, server, group, latency, timeout);
    }

    /** With {@code lite} non-null the sessions are moq-lite sessions of that version ({@link LiteClient}). */
    static SubscriberSessions open(final List<List<TrackKey>> sessions, final Draft draft, final LiteVersion lite,
        final InetSocketAddress server, final EventLoopGroup group, final LatencyLog latency, final Duration timeout)
        throws Exception
    {
        final int subscriptions = sessions.stream().mapToInt(List::size).sum();
        final SubscriberSessions s = new SubscriberSessions(subscriptions);
        try
        {
            if (lite != null)
            {
                s.connectLite(sessions, lite, server, group, latency, timeout);
                return s;
            }
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

    /**
     * moq-lite subscribers: one {@link LiteClient} per session, each track subscribed as track {@code name} of the
     * broadcast whose path is the namespace's fields joined by '/'; frames counted and timed as objects.
     */
    private void connectLite(final List<List<TrackKey>> sessions, final LiteVersion lite,
        final InetSocketAddress server, final EventLoopGroup group, final LatencyLog latency, final Duration timeout)
        throws Exception
    {
        for (int from = 0; from < sessions.size(); from += CONNECT_BATCH)
        {
            final List<CompletableFuture<LiteClient>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(sessions.size(), from + CONNECT_BATCH); i++)
            {
                batch.add(LiteClient.connect(server.getHostString(), server.getPort(), lite, ClientTrust.insecure(),
                    timeout, group));
            }
            for (final CompletableFuture<LiteClient> f : batch)
            {
                liteClients.add(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        final List<CompletableFuture<?>> answers = new ArrayList<>();
        for (int c = 0; c < liteClients.size(); c++)
        {
            final LiteClient client = liteClients.get(c);
            client.closed().thenRun(sessionFailures::incrementAndGet);
            for (final TrackKey track : sessions.get(c))
            {
                final int index = subscribed.size();
                subscribed.add(track);
                final String path = track.namespace().fields().stream()
                    .map(f -> new String(f.array(), java.nio.charset.StandardCharsets.UTF_8))
                    .collect(java.util.stream.Collectors.joining("/"));
                final Listener listener = new Listener(index, latency);
                answers.add(client.subscribe(path, new String(track.trackName().array(),
                    java.nio.charset.StandardCharsets.UTF_8), 128, new LiteClient.FrameListener()
                    {
                        @Override
                        public void onFrame(final long group, final long frame, final io.netty.buffer.ByteBuf payload)
                        {
                            listener.frame(group, payload, payload.readableBytes());
                        }

                        @Override
                        public void onGroupEnd(final long group, final boolean reset, final long resetCode)
                        {
                            listener.tally.ended(group, reset, resetCode);
                        }
                    }));
                if (answers.size() >= CONNECT_BATCH)
                {
                    awaitAll(answers, timeout);
                }
            }
        }
        awaitAll(answers, timeout);
        indexTracks();
    }

    private void indexTracks()
    {
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
        return clients.size() + liteClients.size();
    }

    /** Keeps every MoQT session's connection from going idle ({@link MoqClient#keepAlive()}): held idle sessions. */
    void keepAlive()
    {
        clients.forEach(MoqClient::keepAlive);
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

    /**
     * Each subscription's share of skipped and missing objects ({@link GroupTally#share}), given the objects
     * published per track (by {@link TrackKey#label()}).
     */
    List<GroupTally.Share> shares(final java.util.Map<String, Long> published)
    {
        final List<GroupTally.Share> out = new ArrayList<>(subscribed.size());
        for (int i = 0; i < subscribed.size(); i++)
        {
            final TrackKey t = subscribed.get(i);
            out.add(tallies[i].share(published.getOrDefault(t.label(), 0L), t.spec().groupLength()));
        }
        return out;
    }

    private final class Listener implements SubscriptionListener
    {
        private final int index;
        private final LatencyLog latency;
        final GroupTally tally;

        Listener(final int index, final LatencyLog latency)
        {
            this.index = index;
            this.latency = latency;
            this.tally = tallies[index];
        }

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() != ObjectStatus.NORMAL)
            {
                return;
            }
            frame(o.groupId(), o.payload(), o.payloadLength());
        }

        @Override
        public void onSubgroupStreamEnd(final long groupId, final long subgroupId, final boolean reset,
            final long resetCode)
        {
            tally.ended(groupId, reset, resetCode);
        }

        /** One payload (a MoQT object or a moq-lite frame) of {@code group}. */
        void frame(final long group, final io.netty.buffer.ByteBuf payload, final int payloadLength)
        {
            if (payloadLength < PayloadStamp.LENGTH)
            {
                return;
            }
            tally.object(group);
            final long now = System.nanoTime();
            latency.record(now - PayloadStamp.read(payload));
            perSubscription.lazySet(index, perSubscription.get(index) + 1);

            objects.increment();
            bytes.add(payloadLength);
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
        liteClients.parallelStream().forEach(LiteClient::close);
        liteClients.clear();
    }
}
