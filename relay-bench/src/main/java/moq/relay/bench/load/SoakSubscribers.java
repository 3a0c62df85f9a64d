package moq.relay.bench.load;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * The soak's healthy subscribers (the steady call participants), which account for every object per group.
 *
 * <p>The relay skips a subscriber only a whole group at a time (TOO_FAR_BEHIND resets the group's stream and resumes
 * at the next group), and a group's stream that is not reset ends with its End of Group object, whose object id is
 * the number of objects the publisher put in the group. So per subscription: a group whose End of Group arrived but
 * that lacks objects lost them ({@link Counts#lost}: a relay defect, QUIC retransmits what the network drops); a
 * group that never completed (its stream reset or never opened) was skipped ({@link Counts#skippedGroups}, its
 * missing objects {@link Counts#skippedObjects}). The client does not surface RESET_STREAM codes, so an incomplete
 * group is counted as a deliberate skip whatever ended it; with a paced call-sized load there should be none.
 */
final class SoakSubscribers implements AutoCloseable
{
    private final List<MoqClient> clients = new ArrayList<>();
    private final List<Accounting> subscriptions = new ArrayList<>();
    final LongAdder objects = new LongAdder();
    final AtomicInteger sessionFailures = new AtomicInteger();
    final List<String> failureReasons = java.util.Collections.synchronizedList(new ArrayList<>());

    /** What one subscription counted at the end. */
    record Counts(String track, long published, long received, long lost, long skippedGroups, long skippedObjects,
        long incompleteAtEnd, String incompleteSample)
    {
    }

    static SoakSubscribers open(final List<List<TrackKey>> sessions, final Draft draft,
        final InetSocketAddress server, final EventLoopGroup group, final Duration timeout) throws Exception
    {
        final SoakSubscribers s = new SoakSubscribers();
        try
        {
            final ClientConfig config = ClientConfig.of(server.getHostString(), server.getPort(), draft,
                ClientTrust.insecure()).withTimeouts(timeout, Duration.ofSeconds(60));
            for (final List<TrackKey> tracks : sessions)
            {
                final MoqClient c = MoqClient.connect(config, group).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                s.clients.add(c);
                final List<CompletableFuture<?>> answers = new ArrayList<>();
                for (final TrackKey t : tracks)
                {
                    final Accounting a = s.new Accounting(t);
                    s.subscriptions.add(a);
                    answers.add(c.subscribe(t.namespace(), t.trackName(), SubscribeOptions.LATEST, a));
                }
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return s;
        }
        catch (final Exception e)
        {
            s.close();
            throw e;
        }
    }

    List<TrackKey> tracks()
    {
        return subscriptions.stream().map(a -> a.track).toList();
    }

    int sessions()
    {
        return clients.size();
    }

    /** Lost objects so far (in completed groups), for the time series. */
    long lostSoFar()
    {
        long n = 0;
        for (final Accounting a : subscriptions)
        {
            n += a.lost.get();
        }
        return n;
    }

    /** Per subscription, against the objects each track's publisher sent (by {@link TrackKey#label()}). */
    List<Counts> counts(final Map<String, Long> published)
    {
        final List<Counts> out = new ArrayList<>();
        for (final Accounting a : subscriptions)
        {
            out.add(a.counts(published.getOrDefault(a.track.label(), 0L)));
        }
        return out;
    }

    /** One subscription's per-group bookkeeping; every call on its client's event loop. */
    private final class Accounting implements SubscriptionListener
    {
        final TrackKey track;
        /** Normal objects received per group whose End of Group has not arrived yet. */
        private final Map<Long, long[]> open = new HashMap<>();
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong lost = new AtomicLong();
        private final AtomicLong completedGroups = new AtomicLong();

        Accounting(final TrackKey track)
        {
            this.track = track;
        }

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() == ObjectStatus.NORMAL)
            {
                open.computeIfAbsent(o.groupId(), g -> new long[1])[0]++;
                received.incrementAndGet();
                objects.increment();
            }
            else if (o.status() == ObjectStatus.END_OF_GROUP)
            {
                final long[] got = open.remove(o.groupId());
                final long n = got == null ? 0 : got[0];
                // The publisher ends each group with End of Group at object id = objects in the group.
                lost.addAndGet(Math.max(0, o.objectId() - n));
                completedGroups.incrementAndGet();
            }
        }

        @Override
        public void onSessionClosed(final SessionClose close)
        {
            if (!close.local())
            {
                sessionFailures.incrementAndGet();
                failureReasons.add(track.label() + ": " + close);
            }
        }

        Counts counts(final long published)
        {
            final int groupLength = track.spec().groupLength();
            final long groups = (published + groupLength - 1) / groupLength;
            final long incomplete = groups - completedGroups.get();
            // Objects of incomplete groups not received: published - received - lost in completed groups.
            return new Counts(track.label(), published, received.get(), lost.get(), incomplete,
                Math.max(0, published - received.get() - lost.get()), open.size(), sample());
        }

        /** The first few groups that got objects but no End of Group, as group:objects. */
        private String sample()
        {
            return open.entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(8)
                .map(e -> e.getKey() + ":" + e.getValue()[0]).collect(java.util.stream.Collectors.joining(" "));
        }
    }

    @Override
    public void close()
    {
        clients.parallelStream().forEach(MoqClient::close);
        clients.clear();
    }
}
