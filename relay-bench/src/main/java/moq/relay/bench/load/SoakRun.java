package moq.relay.bench.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import moq.relay.wire.Draft;

/**
 * The soak: a video call held for a long time over an impaired link, with participants coming and going.
 *
 * <p>{@code participants} steady participants each publish the call's tracks (one publisher session each) and
 * subscribe to everyone else's (one subscriber session each: the healthy subscribers, whose every object is
 * accounted for by {@link SoakSubscribers}); {@link SoakChurn} participants join and leave throughout. Every
 * {@code sampleInterval} the relay's RSS, CPU time and the delivery counters go to {@code soak.csv}. After the
 * duration the churn stops, the publishers end their tracks, delivery drains, and the counts are taken. The link is
 * impaired either by the kernel (netem on the namespace's loopback, set up by perf/run.sh) or by {@link LossyLink}.
 */
final class SoakRun
{
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    /** What the soak does. */
    record Plan(Draft draft, int participants, List<TrackSpec> tracks, Duration warmup, Duration duration,
        Duration drain, Duration sampleInterval, Duration churnInterval, Duration churnLifetime,
        LossyLink.Netem netem, String impairment, int clientThreads)
    {
    }

    /** One row of soak.csv. */
    record Sample(double seconds, long rssBytes, double cpuSeconds, long healthyObjects, long lost, int churnLive,
        long churnOpened, long churnClosedCleanly)
    {
        static final String HEADER = "seconds,rss_mib,relay_cpu_s,healthy_objects,lost,churn_live,churn_opened,"
            + "churn_closed_cleanly";

        String csv()
        {
            return String.format(Locale.ROOT, "%.1f,%.2f,%.2f,%d,%d,%d,%d,%d", seconds, rssBytes / 1048576.0,
                cpuSeconds, healthyObjects, lost, churnLive, churnOpened, churnClosedCleanly);
        }
    }

    private final Plan plan;

    SoakRun(final Plan plan)
    {
        this.plan = plan;
    }

    /** Runs the soak against {@code relay}; its GC log is {@code gcLog}; the CSV goes to {@code dir}. */
    SoakResult run(final Target relay, final Path gcLog, final Path dir) throws Exception
    {
        Files.createDirectories(dir);
        final Instant started = Instant.now();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(plan.clientThreads(),
            new DefaultThreadFactory("soak-client", true), NioIoHandler.newFactory());
        final Workload call = new Workload(plan.draft(), plan.participants(), plan.tracks(), 0, true, plan.warmup(),
            plan.duration(), plan.drain(), 0);
        final List<Sample> samples = new ArrayList<>();
        LossyLink link = null;
        RelayPublishers publishers = null;
        SoakSubscribers healthy = null;
        SoakChurn churn = null;
        try (BufferedWriter csv = Files.newBufferedWriter(dir.resolve("soak.csv")))
        {
            csv.write(Sample.HEADER);
            csv.newLine();
            if ("proxy".equals(plan.impairment()))
            {
                link = new LossyLink(relay.address(), plan.netem(), 42);
            }
            final InetSocketAddress server = link != null ? link.address() : relay.address();
            publishers = RelayPublishers.open(call, server, group, SETUP_TIMEOUT);
            healthy = SoakSubscribers.open(call.subscriberSessions(), plan.draft(), server, group, SETUP_TIMEOUT);
            publishers.awaitSubscribed(healthy.tracks().stream().distinct().collect(Collectors.toList()),
                SETUP_TIMEOUT);
            // Paced tracks only: the closed-loop progress source is never consulted.
            publishers.start(null);
            final List<List<TrackKey>> perParticipant = new ArrayList<>();
            for (int p = 0; p < plan.participants(); p++)
            {
                final int self = p;
                perParticipant.add(call.allTracks().stream().filter(t -> t.publisher() == self).toList());
            }
            churn = new SoakChurn(server, plan.draft(), group, perParticipant, plan.churnInterval(),
                plan.churnLifetime(), SETUP_TIMEOUT);
            churn.start();

            final long t0 = System.nanoTime();
            final double relayUptime = (System.currentTimeMillis() - ProcessHandle.of(relay.pid())
                .flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli)
                .orElse(System.currentTimeMillis())) / 1e3;
            final long end = t0 + plan.warmup().plus(plan.duration()).toNanos();
            final long step = plan.sampleInterval().toNanos();
            long next = t0;
            while (true)
            {
                final long now = System.nanoTime();
                if (now - next >= 0)
                {
                    final Sample s = new Sample((now - t0) / 1e9, ProcStats.rssBytes(relay.pid()),
                        ProcStats.cpuSeconds(relay.pid()), healthy.objects.sum(), healthy.lostSoFar(),
                        churn.live.get(), churn.opened.get(), churn.closedCleanly.get());
                    samples.add(s);
                    csv.write(s.csv());
                    csv.newLine();
                    csv.flush();
                    next += step;
                }
                if (now - end >= 0)
                {
                    break;
                }
                Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(next - now),
                    TimeUnit.NANOSECONDS.toMillis(end - now))));
            }
            churn.close();
            final Map<String, Long> published = publishers.stop().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().label(), Map.Entry::getValue));
            long expected = 0;
            for (final TrackKey t : healthy.tracks())
            {
                expected += published.getOrDefault(t.label(), 0L);
            }
            drain(healthy, expected);
            final List<SoakSubscribers.Counts> counts = healthy.counts(published);
            final GcLog gc = GcLog.read(gcLog);
            return SoakResult.of(plan, started, samples, counts, healthy.sessions(), healthy.sessionFailures.get(),
                List.copyOf(healthy.failureReasons), churn, gc, HeapLog.read(gcLog), relayUptime, link);
        }
        finally
        {
            if (churn != null)
            {
                churn.close();
            }
            if (healthy != null)
            {
                healthy.close();
            }
            if (publishers != null)
            {
                publishers.close();
            }
            if (link != null)
            {
                link.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void drain(final SoakSubscribers healthy, final long expected) throws InterruptedException
    {
        final long quiet = plan.drain().toNanos();
        final long deadline = System.nanoTime() + 10 * quiet;
        long last = healthy.objects.sum();
        long lastChange = System.nanoTime();
        while (last < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            final long now = healthy.objects.sum();
            if (now != last)
            {
                last = now;
                lastChange = System.nanoTime();
            }
            else if (System.nanoTime() - lastChange > quiet)
            {
                break;
            }
        }
    }
}
