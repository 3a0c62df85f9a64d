package moq.relay.bench.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.wire.Draft;

/**
 * Relay RSS per idle subscriber session: one publisher announces an idle track and one subscriber session warms the
 * session code up; the relay's RSS is read (the baseline); then {@code sessions} more sessions connect and each
 * subscribes to the track (nothing flows); after {@code settle} the RSS is read again. Per session = (RSS with the
 * sessions - baseline) / sessions.
 */
final class IdleSessions
{
    /** The measurement, in bytes. */
    record Result(int sessions, long baselineRssBytes, long rssBytes, double bytesPerSession)
    {
    }

    private IdleSessions()
    {
    }

    static Result measure(final Target relay, final Draft draft, final int sessions, final Duration settle,
        final int clientThreads) throws Exception
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
            Thread.sleep(settle.toMillis());
            final long baseline = ProcStats.rssBytes(relay.pid());
            final List<List<TrackKey>> plan = new ArrayList<>();
            for (int i = 0; i < sessions; i++)
            {
                plan.add(one.allTracks());
            }
            try (SubscriberSessions idle = SubscriberSessions.open(plan, draft, relay.address(), group, unused,
                timeout))
            {
                Thread.sleep(settle.toMillis());
                final long rss = ProcStats.rssBytes(relay.pid());
                return new Result(idle.sessionCount(), baseline, rss, (rss - baseline) / (double)idle.sessionCount());
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
