package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscriptionFilter;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a burst of SUBSCRIBE-then-cancel request streams (HostilePeersIT's §4.2 churn, small, in process) costs the
 * relay's event loop, measured on the loop itself: a probe task every millisecond reads the loop thread's CPU time, so
 * the CPU the loop spent between two probes is the longest piece of work nothing else on the loop could interleave
 * with (wall time on a shared machine includes the host's preemptions; CPU time does not). Asserts only that the
 * churning session is closed and prints the figures (docs/hardening.md): a diagnostic, run with
 * {@code -Dchurn.cost=true}.
 */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "churn.cost", matches = "true")
class RequestChurnLoopCostTest
{
    private static final int REQUEST_RATE = 20;
    private static final int REQUEST_BURST = 100;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SESSION_MAX_REQUESTS_PROP_NAME, "64",
        RelayConfiguration.SESSION_MAX_REQUEST_RATE_PROP_NAME, "" + REQUEST_RATE,
        RelayConfiguration.SESSION_REQUEST_BURST_PROP_NAME, "" + REQUEST_BURST));
    private static final Path certDir = relay.certDir();

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception
    {
        for (final AutoCloseable c : closing)
        {
            c.close();
        }
    }

    @Test
    void aChurnBurstCostsTheLoopOnlySmallSlicesOfWork() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(HealthyPair.NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(HealthyPair.NS, HealthyPair.TRACK, 100);
        final QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 10_000, "moqt-18");
        closing.add(client);
        for (int round = 0; round < 6; round++)
        {
            churn(client, REQUEST_BURST * 8 / 10, 2); // warm-up: within the burst, none refused
        }
        final Probe probe = new Probe(relay.server.eventLoops().get(0));
        Thread.sleep(1_000);
        final Histogram quiet = probe.window();
        final String quietLate = probe.lateAndGc();
        final long start = System.nanoTime();
        final int sent = churn(client, 1_000, 0);
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Thread.sleep(500);
        final Histogram attacked = probe.window();
        final String attackedLate = probe.lateAndGc();
        probe.stop();
        System.out.printf("churn-cost quiet:    loop CPU between probes p99 %5d us max %6d us (%d probes); %s%n",
            quiet.getValueAtPercentile(99), quiet.getMaxValue(), quiet.getTotalCount(), quietLate);
        System.out.printf("churn-cost attacked: loop CPU between probes p99 %5d us max %6d us (%d probes); %s; %d " +
            "cycles in %d ms%n", attacked.getValueAtPercentile(99), attacked.getMaxValue(), attacked.getTotalCount(),
            attackedLate, sent, millis);
        assertThat(track).isNotNull();
    }

    /** SUBSCRIBE+FIN on {@code cycles} request streams of a new session (pausing {@code pauseMillis} between). */
    private int churn(final QuicTestClient client, final int cycles, final long pauseMillis) throws Exception
    {
        final QuicTestClient.Connection c = client.connect(relay.server.localAddress(), true);
        c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
            .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
        final List<RawPeer.RawBytes> answers = new ArrayList<>();
        int sent = 0;
        for (; sent < cycles && !c.peerClose().isDone(); sent++)
        {
            final RawPeer.RawBytes answer = new RawPeer.RawBytes();
            try
            {
                c.channel().createStream(QuicStreamType.BIDIRECTIONAL, answer).get(5, TimeUnit.SECONDS)
                    .writeAndFlush(ControlBytes.draft18(new Subscribe(2L * sent, HealthyPair.NS, HealthyPair.TRACK,
                        MessageParameters.of(new Parameter.Filter(SubscriptionFilter.largestObject())))))
                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
            catch (final Exception e)
            {
                break; // closed meanwhile, or out of stream credit
            }
            answers.add(answer);
            if (pauseMillis > 0)
            {
                Thread.sleep(pauseMillis);
            }
        }
        if (pauseMillis > 0)
        {
            Thread.sleep(300); // a cancelled SUBSCRIBE may end without an answer: no wait for each
            c.channel().close().sync();
        }
        else
        {
            c.peerClose().get(10, TimeUnit.SECONDS);
        }
        return sent;
    }

    /** A task on the loop every millisecond, recording the loop thread's CPU time since the previous one. */
    private static final class Probe
    {
        private final EventLoop loop;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final Histogram cpu = new Histogram(3_600_000_000L, 3);
        /** Wall time between two probes beyond the 1 ms asked (the host's preemptions and GC pauses included). */
        private final Histogram late = new Histogram(3_600_000_000L, 3);
        private volatile boolean stopped;
        private long lastCpu = -1;
        private long lastWall;
        private long gcAtWindowStart = gcMillis();

        Probe(final EventLoop loop)
        {
            this.loop = loop;
            loop.execute(this::tick);
        }

        private void tick()
        {
            final long now = threads.getCurrentThreadCpuTime();
            final long wall = System.nanoTime();
            synchronized (cpu)
            {
                if (lastCpu >= 0)
                {
                    cpu.recordValue(Math.max(0, (now - lastCpu) / 1_000));
                    late.recordValue(Math.max(0, (wall - lastWall) / 1_000 - 1_000));
                }
            }
            lastCpu = now;
            lastWall = wall;
            if (!stopped)
            {
                loop.schedule(this::tick, 1, TimeUnit.MILLISECONDS);
            }
        }

        Histogram window()
        {
            synchronized (cpu)
            {
                final Histogram h = cpu.copy();
                cpu.reset();
                return h;
            }
        }

        /** The wall-time lateness of the window just taken with {@link #window()}; and GC time since the last call. */
        String lateAndGc()
        {
            synchronized (cpu)
            {
                final long gc = gcMillis();
                final String s = String.format("wall lateness p99 %6d us max %7d us, GC %d ms",
                    late.getValueAtPercentile(99), late.getMaxValue(), gc - gcAtWindowStart);
                late.reset();
                gcAtWindowStart = gc;
                return s;
            }
        }

        private static long gcMillis()
        {
            return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0,
                b.getCollectionTime())).sum();
        }

        void stop()
        {
            stopped = true;
        }
    }
}
