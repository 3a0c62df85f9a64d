package moq.relay.bench.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.wire.Draft;
import org.HdrHistogram.Histogram;

/**
 * Relay RSS per idle subscriber session: one publisher announces an idle track and one subscriber session warms the
 * session code up; the relay's RSS is read (the baseline); then {@code sessions} more sessions connect and each
 * subscribes to the track (nothing flows); after {@code settle} the RSS is read again. Per session = (RSS with the
 * sessions - baseline) / sessions. Then, with those sessions still held, {@link #PROBES} new sessions are set up one
 * after another, each timed from its QUIC connect to its SUBSCRIBE_OK and closed (the same probes run before the idle
 * sessions connect, for the reference): what a new participant waits for while the relay holds the others.
 */
final class IdleSessions
{
    /** The measurement, in bytes. */
    record Result(int sessions, long baselineRssBytes, long rssBytes, double bytesPerSession, SetUp setUpBefore,
        SetUp setUpHeld)
    {
    }

    /** Set-up times of the probe sessions, connect to SUBSCRIBE_OK, in milliseconds. */
    record SetUp(long count, double p50Ms, double p99Ms, double maxMs)
    {
    }

    /** New sessions timed one after another, before and while the idle sessions are held. */
    static final int PROBES = 200;

    /** Idle sessions connected and subscribed at a time. */
    private static final int CHUNK = 500;

    private IdleSessions()
    {
    }

    /**
     * @param breakdown where {@link MemoryBreakdown} writes its files after each RSS reading, or null for none (its
     *     class histograms force full GCs, so it is not for the headline figure)
     */
    static Result measure(final Target relay, final Draft draft, final int sessions, final Duration settle,
        final int clientThreads, final java.nio.file.Path breakdown) throws Exception
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(clientThreads,
            new DefaultThreadFactory("idle-client", true), NioIoHandler.newFactory());
        final Workload one = new Workload(draft, 1, List.of(new TrackSpec("idle", 100, 1, 1)), 1, false,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);
        final Duration timeout = Duration.ofSeconds(60);
        try (LatencyLog unused = new LatencyLog(null);
             RelayPublishers publisher = RelayPublishers.open(one, relay.address(), group, timeout);
             SubscriberSessions warm = SubscriberSessions.open(one.subscriberSessions(), draft, relay.address(),
                 group, unused, timeout))
        {
            publisher.awaitSubscribed(one.allTracks(), timeout);
            // Nothing flows: every connection is kept alive, or it reaches the QUIC idle timeout (30 s) while thousands
            // of idle sessions are still connecting (connected and subscribed a chunk at a time).
            final List<SubscriberSessions> held = new CopyOnWriteArrayList<>(List.of(warm));
            final ScheduledExecutorService keepAlive =
                Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("idle-keep", true));
            keepAlive.scheduleAtFixedRate(() ->
            {
                publisher.keepAlive();
                held.forEach(SubscriberSessions::keepAlive);
            }, 5, 5, TimeUnit.SECONDS);
            final SetUp before = probe(relay, draft, one.allTracks().get(0), group, timeout);
            Thread.sleep(settle.toMillis());
            final long baseline = ProcStats.rssBytes(relay.pid());
            if (breakdown != null)
            {
                MemoryBreakdown.capture(relay.pid(), breakdown, "baseline");
            }
            try
            {
                for (int from = 0; from < sessions; from += CHUNK)
                {
                    final List<List<TrackKey>> plan = new ArrayList<>();
                    for (int i = from; i < Math.min(sessions, from + CHUNK); i++)
                    {
                        plan.add(one.allTracks());
                    }
                    held.add(SubscriberSessions.open(plan, draft, relay.address(), group, unused, timeout));
                }
                final int count = held.stream().mapToInt(SubscriberSessions::sessionCount).sum();
                Thread.sleep(settle.toMillis());
                final long rss = ProcStats.rssBytes(relay.pid());
                if (breakdown != null)
                {
                    MemoryBreakdown.capture(relay.pid(), breakdown, "held");
                }
                final SetUp during = probe(relay, draft, one.allTracks().get(0), group, timeout);
                return new Result(count, baseline, rss, (rss - baseline) / (double)count, before, during);
            }
            finally
            {
                keepAlive.shutdownNow();
                held.stream().filter(h -> h != warm).forEach(SubscriberSessions::close);
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    /** {@link #PROBES} sessions set up one after another (connect, SETUP, SUBSCRIBE to {@code track}), then closed. */
    private static SetUp probe(final Target relay, final Draft draft, final TrackKey track, final EventLoopGroup group,
        final Duration timeout) throws Exception
    {
        final ClientConfig config = ClientConfig.of(relay.address().getHostString(), relay.address().getPort(), draft,
            ClientTrust.insecure()).withTimeouts(timeout, Duration.ofSeconds(60));
        final Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        for (int i = 0; i < PROBES; i++)
        {
            final long start = System.nanoTime();
            try (MoqClient c = MoqClient.connect(config, group).get(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                c.subscribe(track.namespace(), track.trackName(), SubscribeOptions.LATEST, o -> { })
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                h.recordValue(Math.min(h.getHighestTrackableValue(), (System.nanoTime() - start) / 1000));
            }
        }
        return new SetUp(h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
            h.getMaxValue() / 1000.0);
    }
}
