package moq.relay.bench.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import moq.relay.wire.lite.LiteVersion;
import org.HdrHistogram.Histogram;

/**
 * One run: the workload's subscriber sessions (and, through the relay, its publishers) against one target.
 *
 * <p>Sequence: publishers connect and announce (relay only); subscribers connect and subscribe; sending starts;
 * after the warm-up the measured window opens (latency recording starts; the target's CPU time, its JIT compiler
 * threads' CPU time and the delivered counters are read), and closes after the duration (read again); sending stops,
 * each track ends with PUBLISH_DONE, and the run waits until every expected object has arrived or delivery has been
 * quiet for the drain time. Objects that did not arrive are split into the relay's deliberate skips and genuine losses
 * ({@link GroupTally}, {@link SkipAttribution}, the relay's skip counters read before the first object and after the
 * drain).
 */
public final class LoadRun
{
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    private final Workload workload;
    private final int clientThreads;
    private final LiteVersion liteSubscribers;
    private final LiteVersion litePublishers;

    /** @param clientThreads event loop threads shared by every publisher and subscriber client of the run. */
    public LoadRun(final Workload workload, final int clientThreads)
    {
        this(workload, clientThreads, null);
    }

    /**
     * @param liteSubscribers non-null: the subscribers speak this moq-lite version (the publishers stay on the
     *                        workload's MoQT draft), the relay bridging them.
     */
    public LoadRun(final Workload workload, final int clientThreads, final LiteVersion liteSubscribers)
    {
        this(workload, clientThreads, liteSubscribers, null);
    }

    /**
     * @param litePublishers non-null: the publishers speak this moq-lite version ({@code LiteClient}, broadcast
     *                       {@code bench/pN}), the relay bridging them to the subscribers.
     */
    public LoadRun(final Workload workload, final int clientThreads, final LiteVersion liteSubscribers,
        final LiteVersion litePublishers)
    {
        this.workload = workload;
        this.clientThreads = clientThreads;
        this.liteSubscribers = liteSubscribers;
        this.litePublishers = litePublishers;
    }

    /**
     * @param histogramLog where the interval HdrHistogram log goes, or null.
     */
    public RunResult run(final String scenario, final String series, final String point, final Target target,
        final Path histogramLog) throws Exception
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(clientThreads,
            new DefaultThreadFactory("load-client", true), NioIoHandler.newFactory());
        try (LatencyLog latency = new LatencyLog(histogramLog))
        {
            RelayPublishers publishers = null;
            SubscriberSessions subscribers = null;
            try
            {
                if (!target.generatesObjects())
                {
                    publishers = RelayPublishers.open(workload, litePublishers, target.publisherAddress(), group,
                        SETUP_TIMEOUT);
                }
                subscribers = SubscriberSessions.open(workload.subscriberSessions(), workload.draft(),
                    liteSubscribers, target.address(), group, latency, SETUP_TIMEOUT);
                // The relay's skip counters from before the first object to the drain's end: what the subscribers'
                // missing objects are checked against (the ceiling keeps none).
                final RelaySkipCounters skips0 = target.skipCounters();
                if (publishers != null)
                {
                    publishers.awaitSubscribed(subscribers.subscriptions().stream().distinct()
                        .collect(Collectors.toList()), SETUP_TIMEOUT);
                    publishers.start(subscribers);
                }
                else
                {
                    target.startObjects();
                }
                Thread.sleep(workload.warmup().toMillis());

                final long pid = target.pid();
                latency.start();
                final long t0 = System.nanoTime();
                final double cpu0 = cpuSeconds(target);
                final Map<Long, Long> jit0 = ProcStats.compilerThreadTicks(pid);
                final long self = ProcessHandle.current().pid();
                final double gen0 = ProcStats.cpuSeconds(self);
                final double host0 = ProcStats.hostBusySeconds();
                final long[] udp0 = ProcStats.udpCounters();
                final long objects0 = subscribers.objects.sum();
                final long bytes0 = subscribers.bytes.sum();
                Thread.sleep(workload.duration().toMillis());
                final long t1 = System.nanoTime();
                final double cpu1 = cpuSeconds(target);
                final Map<Long, Long> jit1 = ProcStats.compilerThreadTicks(pid);
                final double gen1 = ProcStats.cpuSeconds(self);
                final double host1 = ProcStats.hostBusySeconds();
                final long[] udp1 = ProcStats.udpCounters();
                final long objects1 = subscribers.objects.sum();
                final long bytes1 = subscribers.bytes.sum();

                final Map<String, Long> published = publishers != null
                    ? publishers.stop().entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().label(), Map.Entry::getValue))
                    : target.stopObjects();
                long expected = 0;
                long sent = 0;
                for (final Long n : published.values())
                {
                    sent += n;
                }
                for (final TrackKey t : subscribers.subscriptions())
                {
                    expected += published.getOrDefault(t.label(), 0L);
                }
                drain(subscribers, expected);
                final RelaySkipCounters skips1 = target.skipCounters();
                final long delivered = subscribers.objects.sum();
                final long skipped = Math.max(0, Math.min(expected - delivered, SkipAttribution.skipped(
                    subscribers.shares(published), skips0 == null || skips1 == null ? null : skips1.minus(skips0))));
                final Histogram h = latency.finish();
                final long rss = ProcStats.rssBytes(pid);

                final double window = (t1 - t0) / 1e9;
                final long windowBytes = bytes1 - bytes0;
                final double cpu = cpu1 - cpu0;
                final double mhz = ProcStats.cpuMegahertz();
                return new RunResult(scenario, series, point, workload.fanout(), "draft-" + workload.draft().number(),
                    workload.publishers(), workload.tracks().stream().map(TrackSpec::toString)
                        .collect(Collectors.joining(" ")),
                    subscribers.sessionCount(), subscribers.subscriptionCount(), window, sent, expected, delivered,
                    expected - delivered - skipped, skipped, subscribers.sessionFailures.get(),
                    (objects1 - objects0) / window,
                    windowBytes * 8 / window / 1e9, h.getTotalCount(), micros(h, 50), micros(h, 90), micros(h, 99),
                    micros(h, 99.9), h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1e3, cpu,
                    windowBytes == 0 ? Double.NaN : cpu / (windowBytes / 1e9),
                    windowBytes == 0 ? Double.NaN : cpu * mhz * 1e6 / windowBytes, mhz,
                    ProcStats.compilerCpuSeconds(jit0, jit1) / window, gen1 - gen0,
                    (host1 - host0) / window,
                    objects1 == objects0 || udp0[0] < 0 ? Double.NaN : (udp1[0] - udp0[0]) / (double)(objects1 - objects0),
                    udp0[1] < 0 ? -1 : udp1[1] - udp0[1], rss, Double.NaN, 0,
                    histogramLog == null ? "" : String.valueOf(histogramLog.getFileName()));
            }
            finally
            {
                if (subscribers != null)
                {
                    subscribers.close();
                }
                if (publishers != null)
                {
                    publishers.close();
                }
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void drain(final SubscriberSessions subscribers, final long expected) throws InterruptedException
    {
        final long quietNanos = workload.drain().toNanos();
        final long deadline = System.nanoTime() + 10 * quietNanos;
        long last = subscribers.objects.sum();
        long lastChange = System.nanoTime();
        while (last < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            final long now = subscribers.objects.sum();
            if (now != last)
            {
                last = now;
                lastChange = System.nanoTime();
            }
            else if (System.nanoTime() - lastChange > quietNanos)
            {
                break;
            }
        }
    }

    /** CPU seconds of every process of the target (both relays of a chain). */
    private static double cpuSeconds(final Target target)
    {
        double sum = 0;
        for (final long p : target.pids())
        {
            sum += ProcStats.cpuSeconds(p);
        }
        return sum;
    }

    private static double micros(final Histogram h, final double percentile)
    {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e3;
    }
}
