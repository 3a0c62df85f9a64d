package moq.relay.warmup;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import moq.relay.client.ClientTrust;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.lite.LiteSessions;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.wire.Draft;
import moq.relay.wire.lite.LiteVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's JIT warm-up at start-up ({@code moq.relay.warmup.duration}). A freshly started JVM interprets the
 * relay's receive and forward paths until the JIT has compiled them, and a video call that arrives first pays for
 * it: on a 2-core box shared with three browsers, a cold relay added most of a second to the first call's frames
 * (perf/README.md). So, once the relay has bound its port, this runs a {@link WarmupRelay} (the same code, an instance
 * of its own on a loopback port) and, for every raw-QUIC protocol the relay offers (drafts 18, 20 and 14, moq-lite
 * 05/04/03) and, when it serves WebTransport, for draft 14 over WebTransport (the browser call's transport: HTTP/3
 * extended CONNECT, WebTransport streams and datagrams, a raw-QUIC publisher; {@link WebTransportWarmupPair}) and for
 * moq-lite over WebTransport (the call page's default, publisher and subscriber both over WebTransport, so a browser
 * publisher's ingest is warm too; {@link LiteWebTransportWarmupPair}), a publisher and a subscriber
 * that push {@link WarmupTraffic} rounds through it until the duration has passed and every MoQT and moq-lite pair has
 * sent and received its {@link LargeFrames} opening (at most {@link #OPENING_GRACE_NANOS} more); then it closes
 * everything and logs what went through.
 *
 * <p>It runs on a thread of its own ({@value #THREAD_PREFIX}), so that neither a bind failure (reported before it
 * starts) nor a shutdown ({@link #cancel()} stops it within a round) waits for it; the relay answers {@code /ready}
 * only once it is {@link #isDone() done}. It never fails the relay: a protocol whose pair cannot be set up is
 * reported and left out.
 */
public final class StartupWarmup
{
    /** Names of the warm-up's threads: its own, the throwaway relay's I/O threads and its clients'. */
    public static final String THREAD_PREFIX = "moq-warmup";

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmup.class);
    /**
     * Connect, setup and subscribe of every pair, all at once: a cold JVM takes 0.5-2 s (its first QUIC handshakes,
     * class loading), 8 s was seen on a 2-core box at a load average of 27; the traffic's duration starts after it.
     */
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(15);
    /** Past the set-up deadline, how long the wait for a pair gives its own timeouts to fire. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * Past the duration, how long the pairs still get to send and receive their {@link LargeFrames} opening (a busy
     * box runs a few rounds a second; the opening is 4 rounds of each pair, 3-4 MiB of the relay's default sizes).
     */
    private static final long OPENING_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long a pair that waits for its rounds may receive nothing before it sends on (what it waits for was lost). */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** After the duration, how long the rounds in flight get to arrive (they count in the report only). */
    private static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Pause while every pair has its rounds in flight. */
    private static final long WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final int CLIENT_THREADS = 2;

    private final Map<String, String> settings;
    private final ServerCertificate certificate;
    private final Duration duration;
    private final CompletableFuture<WarmupReport> report = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean cancelled;

    private StartupWarmup(final Map<String, String> settings, final ServerCertificate certificate,
        final Duration duration)
    {
        this.settings = Map.copyOf(settings);
        this.certificate = certificate;
        this.duration = duration;
        if (duration.isZero())
        {
            thread = null;
            report.complete(WarmupReport.OFF);
        }
        else
        {
            thread = new Thread(this::run, THREAD_PREFIX);
            thread.setDaemon(true);
        }
    }

    /**
     * A warm-up for a relay of {@code relaySettings} (its {@code moq.relay.*} settings) and {@code certificate}, for
     * {@code duration} (zero: none, already done); {@link #start()} runs it.
     */
    public static StartupWarmup of(final Map<String, String> relaySettings, final ServerCertificate certificate,
        final Duration duration)
    {
        return new StartupWarmup(relaySettings, certificate, duration);
    }

    /** Starts it on its own thread and returns at once. */
    public void start()
    {
        if (thread != null)
        {
            thread.start();
        }
    }

    /** Whether it has finished (or never had to run). */
    public boolean isDone()
    {
        return report.isDone();
    }

    /** Completes with what it did once it has finished and closed everything it opened. */
    public CompletableFuture<WarmupReport> report()
    {
        return report.copy();
    }

    /** Stops it within a round; it then closes what it opened on its own thread. Returns at once. */
    public void cancel()
    {
        cancelled = true;
        if (thread != null && thread.isAlive())
        {
            thread.interrupt();
        }
    }

    /** Waits up to {@code timeout} for its thread to end; true when it has (or never started). */
    public boolean awaitStopped(final Duration timeout)
    {
        if (thread == null || !thread.isAlive())
        {
            return true;
        }
        try
        {
            thread.join(Math.max(1, timeout.toMillis()));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void run()
    {
        final long start = System.nanoTime();
        long setupNanos = 0;
        final List<WarmupPair> pairs = new ArrayList<>();
        final List<WarmupReport.Protocol> tallies = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final Map<WarmupPair, Long> oversized = new java.util.IdentityHashMap<>();
        WarmupRelay relay = null;
        EventLoopGroup clients = null;
        try
        {
            relay = WarmupRelay.start(settings, certificate);
            clients = new MultiThreadIoEventLoopGroup(CLIENT_THREADS,
                new DefaultThreadFactory(THREAD_PREFIX + "-client", true), NioIoHandler.newFactory());
            openPairs(relay, clients, pairs, failures);
            setupNanos = System.nanoTime() - start;
            pump(pairs, System.nanoTime() + duration.toNanos(), failures);
            drain(pairs);
            for (final WarmupPair pair : pairs)
            {
                oversized.put(pair, pair.oversizedTrack() == null ? 0L : relay.oversized(pair.oversizedTrack()));
            }
        }
        catch (final Exception e)
        {
            if (!cancelled)
            {
                failures.add(describe(e));
            }
        }
        finally
        {
            Thread.interrupted(); // a cancel's interrupt has done its job: closing below must not be cut short
            for (final WarmupPair pair : pairs)
            {
                tallies.add(new WarmupReport.Protocol(pair.protocol(), pair.roundsSent(), pair.streamObjectsReceived(),
                    pair.datagramsReceived(), pair.bytesReceived(), pair.largeObjectsReceived(),
                    oversized.getOrDefault(pair, 0L)));
            }
            close(relay, pairs, clients);
            final WarmupReport done = new WarmupReport(true,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), TimeUnit.NANOSECONDS.toMillis(setupNanos),
                tallies, failures, cancelled);
            if (failures.isEmpty() || cancelled)
            {
                LOG.info("{}", done);
            }
            else
            {
                LOG.warn("{}", done);
            }
            report.complete(done);
        }
    }

    /**
     * Sets up a pair per protocol the relay offers, all at once (a cold JVM's first handshakes take a while), within
     * {@link #SETUP_TIMEOUT}: the ones set up go to {@code pairs}, the others to {@code failures}. A cancel stops the
     * wait; the pairs set up by then are still added, to be closed.
     */
    private void openPairs(final WarmupRelay relay, final EventLoopGroup clients, final List<WarmupPair> pairs,
        final List<String> failures)
    {
        final ClientTrust trust = ClientTrust.fingerprint(certificate.sha256Fingerprint());
        final long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
        final List<String> protocols = new ArrayList<>(relay.alpn().stream().filter(StartupWarmup::drives).toList());
        if (WebTransportWarmupPair.drives(relay.alpn()))
        {
            protocols.add(WebTransportWarmupPair.PROTOCOL); // the browser call's transport
        }
        final LiteVersion liteOverWebTransport = LiteWebTransportWarmupPair.version(relay.alpn(),
            relay.webTransportProtocols());
        if (liteOverWebTransport != null)
        {
            protocols.add(LiteWebTransportWarmupPair.protocol(liteOverWebTransport)); // the call page's default
        }
        if (protocols.isEmpty())
        {
            return;
        }
        final LargeFrames large = LargeFrames.of(RelayConfiguration.from(WarmupRelay.settings(settings)));
        final ExecutorService setup = Executors.newFixedThreadPool(protocols.size(),
            new DefaultThreadFactory(THREAD_PREFIX + "-setup", true));
        final List<Future<WarmupPair>> opening = new ArrayList<>();
        for (final String alpn : protocols)
        {
            opening.add(setup.submit(() -> open(alpn, relay, trust, clients, deadline, large)));
        }
        try
        {
            for (int i = 0; i < opening.size() && !cancelled; i++)
            {
                try
                {
                    pairs.add(opening.get(i).get(Math.max(0, deadline - System.nanoTime()) + GRACE_NANOS,
                        TimeUnit.NANOSECONDS));
                }
                catch (final ExecutionException | TimeoutException e)
                {
                    failures.add(protocols.get(i) + ": " + describe(e));
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt(); // cancelled
        }
        finally
        {
            setup.shutdownNow();
            try
            {
                setup.awaitTermination(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            for (final Future<WarmupPair> f : opening)
            {
                if (f.isDone() && !f.isCancelled())
                {
                    try
                    {
                        final WarmupPair pair = f.get();
                        if (!pairs.contains(pair))
                        {
                            pairs.add(pair); // set up after its wait ended: closed with the others
                        }
                    }
                    catch (final ExecutionException | InterruptedException e)
                    {
                        // Not set up: nothing to close.
                    }
                }
            }
        }
    }

    /** Whether this warm-up has a pair for {@code alpn} (not h3, nor an unknown token). */
    private static boolean drives(final String alpn)
    {
        for (final Draft draft : Draft.values())
        {
            if (draft.alpn().equals(alpn))
            {
                return true;
            }
        }
        final LiteVersion lite = LiteVersion.ofAlpn(alpn);
        return lite != null && LiteSessions.SERVED.contains(lite);
    }

    private static WarmupPair open(final String alpn, final WarmupRelay relay, final ClientTrust trust,
        final EventLoopGroup clients, final long deadline, final LargeFrames large) throws Exception
    {
        final int port = relay.port();
        if (alpn.equals(WebTransportWarmupPair.PROTOCOL))
        {
            return WebTransportWarmupPair.open(port, relay.webTransportPath(), relay.alpn(), trust, clients,
                deadline);
        }
        final LiteVersion liteOverWebTransport = LiteWebTransportWarmupPair.ofProtocol(alpn);
        if (liteOverWebTransport != null)
        {
            return LiteWebTransportWarmupPair.open(liteOverWebTransport, port, relay.webTransportPath(), trust,
                clients, deadline);
        }
        for (final Draft draft : Draft.values())
        {
            if (draft.alpn().equals(alpn))
            {
                return MoqtWarmupPair.open(draft, port, trust, clients, deadline, large);
            }
        }
        return LiteWarmupPair.open(LiteVersion.ofAlpn(alpn), port, trust, clients, deadline, large);
    }

    /**
     * Rounds to every pair with room in its window, until the deadline and every pair's {@link LargeFrames} opening
     * has been sent and received (at most {@link #OPENING_GRACE_NANOS} past the deadline).
     */
    private void pump(final List<WarmupPair> pairs, final long deadline, final List<String> failures)
    {
        final long latest = deadline + OPENING_GRACE_NANOS;
        // Per pair: stream objects received when last counted, and when that count last moved (or it last sent).
        final Map<WarmupPair, long[]> progress = new java.util.IdentityHashMap<>();
        while (!cancelled && !pairs.isEmpty() && System.nanoTime() - latest < 0 &&
            (System.nanoTime() - deadline < 0 || !pairs.stream().allMatch(p -> p.openingDone() ||
                p.roundsSent() >= p.openingRounds() && stalled(p, progress))))
        {
            boolean sent = false;
            for (int i = 0; i < pairs.size(); i++)
            {
                final WarmupPair pair = pairs.get(i);
                if (pair.roundsInFlight() < pair.window() || stalled(pair, progress))
                {
                    try
                    {
                        pair.sendRound();
                        progress.put(pair, new long[] {pair.streamObjectsReceived(), System.nanoTime()});
                        sent = true;
                    }
                    catch (final RuntimeException e)
                    {
                        // Its session went away: count what it did, send it no more.
                        failures.add(pair.protocol() + ": " + describe(e));
                        pairs.remove(i--);
                        pair.close();
                    }
                }
            }
            if (!sent)
            {
                LockSupport.parkNanos(WAIT_NANOS);
            }
        }
    }

    /**
     * Whether {@code pair} has received nothing for {@link #STALL_NANOS} since it last sent: what it waits for was lost
     * (the relay skipped or refused a group), so the warm-up goes on without it rather than wait out its grace.
     */
    private static boolean stalled(final WarmupPair pair, final Map<WarmupPair, long[]> progress)
    {
        final long[] p = progress.computeIfAbsent(pair, k -> new long[] {k.streamObjectsReceived(), System.nanoTime()});
        final long received = pair.streamObjectsReceived();
        if (received != p[0])
        {
            p[0] = received;
            p[1] = System.nanoTime();
            return false;
        }
        return System.nanoTime() - p[1] > STALL_NANOS;
    }

    /** Lets the rounds in flight arrive, for the report; bounded. */
    private void drain(final List<WarmupPair> pairs)
    {
        final long until = System.nanoTime() + DRAIN_NANOS;
        while (!cancelled && System.nanoTime() - until < 0 &&
            pairs.stream().anyMatch(p -> p.roundsInFlight() > 0))
        {
            LockSupport.parkNanos(WAIT_NANOS);
        }
    }

    /** The clients (each session ends cleanly), their threads, then the throwaway relay. */
    private static void close(final WarmupRelay relay, final List<WarmupPair> pairs, final EventLoopGroup clients)
    {
        for (final WarmupPair pair : pairs)
        {
            pair.close();
        }
        if (clients != null)
        {
            clients.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (relay != null)
        {
            try
            {
                relay.close();
            }
            catch (final RuntimeException e)
            {
                LOG.debug("closing the warm-up relay", e);
            }
        }
    }

    private static String describe(final Throwable e)
    {
        final Throwable cause = e instanceof ExecutionException && e.getCause() != null ?
            e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }
}
