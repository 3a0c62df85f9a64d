package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.param.Properties;
import moq.relay.wire.d18.Publish;
import moq.relay.wire.d18.PublishNamespace;
import moq.relay.wire.d18.RequestError;
import moq.relay.wire.d18.RequestErrorCode;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.SetupOption;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscriptionFilter;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junitpioneer.jupiter.RetryingTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile peers against the real relay (the jar, its own process with a fixed heap), one test per threat of
 * draft-englishm-moq-relay-dos and per defect found in review (docs/hardening.md). Beside every attack
 * {@value #PAIRS} healthy publisher/subscriber pairs ({@link HealthyPairs}, {@value #RATE} objects/s each, measured as
 * one) run through the same relay; each test asserts that
 * <ul>
 *   <li>the pairs lost no object (every sequence number published was received),</li>
 *   <li>(see {@link #ASSERT_P99}) their p99 latency during the attack (a {@value #ATTACK_MILLIS} ms window, about
 *       2,000 samples) is at most twice the p99 of a quiet window of the same length measured right before it, plus
 *       {@value #P99_FLOOR_MICROS} us (an absolute floor, so that sub-millisecond noise on a 2-core CI box does not
 *       fail the suite); when that quiet p99 is itself above {@value #SANE_QUIET_P99_MICROS} us the host is too
 *       loaded for the comparison to mean anything, and so is it when processes other than the relay and this test
 *       used more than {@value #MAX_FOREIGN_CORES} of a core meanwhile (/proc/stat): the figures are then reported
 *       instead; a test whose only failure is this comparison runs once more ({@link LatencyBoundExceeded}),</li>
 *   <li>the relay's resident memory (VmRSS, sampled every 20 ms) stays below {@value #RSS_BOUND_MIB} MiB,</li>
 *   <li>the attacker got the close code (or refusal) the README names, and</li>
 *   <li>the relay still accepts a new session afterwards.</li>
 * </ul>
 * One relay process serves the whole class; attackers connect from their own loopback addresses (127.0.0.x) so the
 * per-address connection cap applies to them and not to the pair.
 */
class HostilePeersIT
{
    /**
     * Healthy pairs, each {@value #RATE} objects/s on its own track: a 4 s window holds 2,000 samples, so a p99 is the
     * 20th-worst one. (One pair at 250-500 objects/s once lost objects on a loaded host: the client's round-robin
     * subgroup streams, fixed; see BackloggedPublisherTest.)
     */
    static final int PAIRS = 5;
    static final int RATE = 100;
    /**
     * Which p99 comparisons are asserted: by default every threat's but the two the relay does not hold yet (see
     * {@link #assertPairUnharmed(String, boolean)}), which are reported; {@code -Dhostile.assertP99=all} asserts those
     * too, {@code -Dhostile.assertP99=false} asserts none.
     */
    static final String ASSERT_P99 = System.getProperty("hostile.assertP99", "true");
    static final long P99_FLOOR_MICROS = 2_000;
    /**
     * A quiet p99 above this says the host itself stalls the pair (other processes on a shared 2-core machine: quiet
     * p99 of 5-400 ms were seen there), so a comparison with it means nothing; the figures are then reported and the
     * p99 not asserted. On an otherwise idle box the quiet p99 is about a millisecond and the comparison holds.
     */
    static final long SANE_QUIET_P99_MICROS = 10_000;
    /**
     * CPU (in cores) that processes other than the relay and this test used during the quiet and attack windows above
     * which the machine is shared too much for a latency comparison: the figures are then reported, not asserted.
     */
    static final double MAX_FOREIGN_CORES = 0.25;
    /** -Xmx + store + direct memory + the JVM's own (metaspace, code, threads): see the settings below. */
    static final long RSS_BOUND_MIB = 400;
    static final long ATTACK_MILLIS = 4_000;
    static final long QUIET_MILLIS = 4_000;

    static final int CONNECTIONS_PER_ADDRESS = 32;
    static final int MAX_REQUESTS = 64;
    static final int MAX_NAMESPACES = 32;
    static final int MAX_TRACKS = 400;
    static final int TRACK_SHARE = MAX_TRACKS * 10 / 100;
    static final int REQUEST_RATE = 20;
    static final int REQUEST_BURST = 100;

    @TempDir
    static Path dir;

    static RelayProcess relay;
    static HealthyPairs pair;
    static X509Certificate trusted;
    static Histogram quiet;
    static final List<String> report = new CopyOnWriteArrayList<>();
    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    /** Each attempt's suffix for the attackers' names: a second attempt meets no track or namespace of the first. */
    private final String run = "-" + ATTEMPTS.incrementAndGet();
    private final List<AutoCloseable> attackers = new ArrayList<>();
    private long windowStart;
    private long quietStart;
    private double foreignCpuAtQuietStart;

    /** The relay process's JVM: a fixed small heap, so that what peers make it hold shows. */
    static final List<String> RELAY_JVM_ARGS = List.of("-Xmx160m", "-Xms160m", "-XX:MaxDirectMemorySize=128m",
        "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC");

    /**
     * The pair's p99 above its bound. A p99 is the 20th-worst of 2,000 samples, so one stall of the 2-core host (a
     * handshake burst in the test JVM, a GC) decides it: each test is measured a second time, with its own quiet
     * reference and attack, when only this comparison failed, and fails when both attempts exceed. Harm the relay does
     * repeats; every other assertion (objects lost, RSS, close codes) fails at the first attempt.
     */
    static final class LatencyBoundExceeded extends AssertionError
    {
        private static final long serialVersionUID = 1L;

        LatencyBoundExceeded(final String message)
        {
            super(message);
        }
    }

    /** The relay's settings: small stores and per-session limits the attacks reach (docs/hardening.md). */
    static Map<String, String> relayProperties(final Path certs)
    {
        return Map.ofEntries(
            Map.entry(RelayConfiguration.TLS_CERT_DIR_PROP_NAME, certs.toString()),
            Map.entry(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "96m"),
            Map.entry(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k"),
            Map.entry(RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "8m"),
            Map.entry(RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "4m"),
            Map.entry(RelayConfiguration.SESSION_MAX_GATHERED_BYTES_PROP_NAME, "8m"),
            Map.entry(RelayConfiguration.INGEST_MAX_BUFFERED_BYTES_PROP_NAME, "48m"),
            Map.entry(RelayConfiguration.SHUTDOWN_DRAIN_TIMEOUT_PROP_NAME, "1s"),
            Map.entry(RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "4m"),
            Map.entry(RelayConfiguration.SESSION_SETUP_TIMEOUT_PROP_NAME, "1s"),
            Map.entry(RelayConfiguration.MAX_CONNECTIONS_PER_ADDRESS_PROP_NAME, "" + CONNECTIONS_PER_ADDRESS),
            Map.entry(RelayConfiguration.MAX_CONNECTIONS_PROP_NAME, "1000"),
            Map.entry(RelayConfiguration.SESSION_MAX_REQUESTS_PROP_NAME, "" + MAX_REQUESTS),
            Map.entry(RelayConfiguration.SESSION_MAX_NAMESPACES_PROP_NAME, "" + MAX_NAMESPACES),
            Map.entry(RelayConfiguration.MAX_TRACKS_PROP_NAME, "" + MAX_TRACKS),
            Map.entry(RelayConfiguration.SESSION_MAX_TRACKS_PERCENT_PROP_NAME, "10"),
            Map.entry(RelayConfiguration.SESSION_MAX_REQUEST_RATE_PROP_NAME, "" + REQUEST_RATE),
            Map.entry(RelayConfiguration.SESSION_REQUEST_BURST_PROP_NAME, "" + REQUEST_BURST),
            // The relay as deployed: its start-up JIT warm-up (3 s, the default) runs, and is waited for, before the
            // pairs start. Without it the first 1-2 MiB objects (defect 3) ran code the pairs' traffic never had, and
            // the JIT threw away (deoptimised) the compiled forwarding path the pairs share (docs/hardening.md).
            Map.entry(RelayConfiguration.WARMUP_DURATION_PROP_NAME, "3s"));
    }

    @BeforeAll
    static void startRelayAndPair() throws Exception
    {
        final Path certs = dir.resolve("certs");
        trusted = TestServers.certificate(certs).leaf();
        final List<String> jvm = new ArrayList<>(RELAY_JVM_ARGS);
        // -Dhostile.relayJvmArgs="-XX:StartFlightRecording=..." profiles the relay under attack.
        jvm.addAll(Arrays.asList(System.getProperty("hostile.relayJvmArgs", "").split(" +")));
        jvm.removeIf(String::isEmpty);
        relay = RelayProcess.start(jvm, relayProperties(certs), Path.of("target", "hostile-peers-relay.log"));
        relay.awaitWarmup();
        pair = new HealthyPairs(relay.address(), PAIRS, RATE);
        warmUpRequests();
        Thread.sleep(4_000); // warm-up: JIT of the forwarding path, not measured
        pair.missingAfter(5_000);
        pair.startWindow();
        Thread.sleep(6_000);
        assertThat(pair.missingAfter(5_000)).as("objects lost in the quiet run (%s)", pair.failure()).isEmpty();
        quiet = pair.endWindow();
        report.add(line("quiet run", quiet, relay.peakRss()));
    }

    /**
     * Compiles the request path before anything is measured, as the pair's objects warm up the forwarding path: a relay
     * in service has long compiled it, and a first burst of requests run by the interpreter costs several times what it
     * costs afterwards (the churn test otherwise measured the JIT). Four sessions each SUBSCRIBE to the healthy track
     * and cancel, 80 times (within the request burst, so none is refused), then end.
     */
    private static void warmUpRequests() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient("127.0.0.60", trusted, 10_000, "moqt-18"))
        {
            for (int session = 0; session < 4; session++)
            {
                final QuicTestClient.Connection c = client.connect(relay.address(), true);
                c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                    .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
                final List<RawPeer.RawBytes> answers = new ArrayList<>();
                for (int i = 0; i < REQUEST_BURST * 8 / 10; i++)
                {
                    final RawPeer.RawBytes answer = new RawPeer.RawBytes();
                    c.channel().createStream(QuicStreamType.BIDIRECTIONAL, answer).get(5, TimeUnit.SECONDS)
                        .writeAndFlush(ControlBytes.draft18(new Subscribe(2L * i, HealthyPair.NS, HealthyPair.TRACK,
                            MessageParameters.of(new Parameter.Filter(SubscriptionFilter.largestObject())))))
                        .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                    answers.add(answer);
                    Thread.sleep(2);
                }
                awaitCount(() -> (int)answers.stream().filter(a -> a.bytes().length > 0).count(), answers.size(),
                    "warm-up SUBSCRIBEs answered");
                c.channel().close().sync();
            }
        }
    }

    @AfterAll
    static void stop()
    {
        report.forEach(System.out::println);
        if (pair != null)
        {
            pair.close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    @AfterEach
    void closeAttackers()
    {
        closeAll();
    }

    private void closeAll()
    {
        final List<AutoCloseable> all = new ArrayList<>(attackers);
        attackers.clear();
        Collections.reverse(all);
        for (final AutoCloseable a : all)
        {
            try
            {
                a.close();
            }
            catch (final Exception e)
            {
                // closing an attacker is best effort
            }
        }
    }

    private static String line(final String what, final Histogram h, final long rss)
    {
        return String.format("hostile-peers %-34s samples %5d p50 %6d us p99 %6d us max %7d us  relay RSS peak %4d MiB",
            what, h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(),
            rss >> 20);
    }

    // ---- measurement around each attack

    /**
     * Measures the pair quietly for {@link #QUIET_MILLIS} right before the attack (the reference for its p99: the
     * machine's background load drifts), then starts the attack's window.
     */
    private void startAttack() throws InterruptedException
    {
        measureQuiet();
        openAttackWindow();
    }

    /** The quiet half of {@link #startAttack()}: the pair's reference p99, measured right before the attack. */
    private void measureQuiet() throws InterruptedException
    {
        quietStart = System.nanoTime();
        foreignCpuAtQuietStart = foreignCpuSeconds();
        pair.startWindow();
        Thread.sleep(QUIET_MILLIS);
        assertThat(pair.missingAfter(5_000)).as("objects lost before the attack (%s)", pair.failure()).isEmpty();
        quiet = pair.endWindow();
    }

    /** The attack half of {@link #startAttack()}: the pair's window under attack, and the relay's RSS peak, begin. */
    private void openAttackWindow()
    {
        relay.resetPeakRss();
        pair.startWindow();
        windowStart = System.nanoTime();
    }

    /** CPU seconds the host charged to processes so far, less the relay and this JVM (other processes on the machine). */
    private static double foreignCpuSeconds()
    {
        return RelayProcess.hostProcessSeconds() - relay.cpuSeconds() -
            RelayProcess.cpuSeconds(ProcessHandle.current().pid());
    }

    /** Keeps the attack going (its state held) until {@link #ATTACK_MILLIS} after it started. */
    private void holdAttack() throws InterruptedException
    {
        final long left = ATTACK_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - windowStart);
        if (left > 0)
        {
            Thread.sleep(left);
        }
    }

    /** Ends the attack (attackers closed) and asserts the pair, the relay's memory and its health. */
    private void assertPairUnharmed(final String threat) throws Exception
    {
        assertPairUnharmed(threat, true);
    }

    /**
     * As {@link #assertPairUnharmed(String)}; {@code p99Held} false marks a threat beside which the relay does not
     * hold the pair's p99 yet (docs/hardening.md): its comparison is reported unless {@code -Dhostile.assertP99=all}.
     */
    private void assertPairUnharmed(final String threat, final boolean p99Held) throws Exception
    {
        holdAttack();
        closeAll();
        final List<String> missing = pair.missingAfter(5_000);
        final Histogram attacked = pair.endWindow();
        final long peak = relay.peakRss();
        report.add(line("  quiet before", quiet, 0));
        report.add(line(threat, attacked, peak));
        assertThat(relay.alive()).as("the relay process is alive (see %s)", relay.log()).isTrue();
        assertThat(missing).as("%s: objects the healthy subscriber never received (%s)", threat, pair.failure())
            .isEmpty();
        assertThat(attacked.getTotalCount()).as("%s: samples measured", threat)
            .isGreaterThanOrEqualTo(PAIRS * RATE * ATTACK_MILLIS / 1000 * 8 / 10);
        final long bound = 2 * quiet.getValueAtPercentile(99) + P99_FLOOR_MICROS;
        String exceeded = null;
        final double foreignCores = (foreignCpuSeconds() - foreignCpuAtQuietStart) /
            ((System.nanoTime() - quietStart) / 1e9);
        if ("false".equals(ASSERT_P99) || !p99Held && !"all".equals(ASSERT_P99))
        {
            report.add(String.format("hostile-peers   %s: p99 %d us against bound %d us (2 x quiet + floor): %s; not " +
                "asserted (%s)", threat, attacked.getValueAtPercentile(99), bound,
                attacked.getValueAtPercentile(99) <= bound ? "within" : "EXCEEDED",
                p99Held ? "-Dhostile.assertP99=false" : "open work: -Dhostile.assertP99=all asserts it"));
        }
        else if (!(foreignCores <= MAX_FOREIGN_CORES))
        {
            report.add(String.format("hostile-peers   %s: p99 not compared, other processes used %.2f cores of the " +
                "machine meanwhile", threat, foreignCores));
        }
        else if (quiet.getValueAtPercentile(99) <= SANE_QUIET_P99_MICROS)
        {
            if (attacked.getValueAtPercentile(99) > bound)
            {
                exceeded = String.format("%s: p99 %d us against 2 x quiet p99 %d us + %d us = %d us", threat,
                    attacked.getValueAtPercentile(99), quiet.getValueAtPercentile(99), P99_FLOOR_MICROS, bound);
                report.add("hostile-peers   " + exceeded + ": EXCEEDED (the test runs once more; a second excess " +
                    "fails it)");
            }
        }
        else
        {
            report.add("hostile-peers   " + threat + ": p99 not compared, the host is overloaded (quiet p99 " +
                quiet.getValueAtPercentile(99) + " us > " + SANE_QUIET_P99_MICROS + " us)");
        }
        assertThat(peak >> 20).as("%s: relay RSS peak (MiB)", threat).isLessThanOrEqualTo(RSS_BOUND_MIB);
        try (MoqClient probe = HealthyPair.connect(relay.address()))
        {
            assertThat(probe.closed()).as("a new session after %s", threat).isNotDone();
        }
        if (exceeded != null)
        {
            throw new LatencyBoundExceeded(exceeded);
        }
    }

    // ---- raw peers

    private QuicTestClient client(final String localHost, final String alpn) throws InterruptedException
    {
        return client(localHost, alpn, 10_000);
    }

    private QuicTestClient client(final String localHost, final String alpn, final long idleTimeoutMillis)
        throws InterruptedException
    {
        final QuicTestClient c = new QuicTestClient(localHost, trusted, idleTimeoutMillis, alpn);
        attackers.add(c);
        // Closed first (closeAll runs in reverse): each attacker's connections end with a CONNECTION_CLOSE inside its
        // own window. Dropping the socket alone left them to the relay's idle timeout (10 s), so the teardown of one
        // attack (999 held streams: 17 ms of one event loop in one stretch) was measured in the next test's window.
        attackers.add(c::closeConnections);
        return c;
    }

    private static QuicStreamChannel open(final QuicTestClient.Connection c, final QuicStreamType type)
        throws Exception
    {
        return c.channel().createStream(type, new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
    }

    private static byte[] bytes(final ByteBuf b)
    {
        final byte[] a = ByteBufUtil.getBytes(b);
        b.release();
        return a;
    }

    /** A draft-18 session: connected, SETUP sent on its control stream. */
    private QuicTestClient.Connection session18(final QuicTestClient client, final boolean readPeerStreams)
        throws Exception
    {
        final QuicTestClient.Connection c = client.connect(relay.address(), readPeerStreams);
        open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(ControlBytes.draft18(Setup.of()));
        return c;
    }

    /** Opens a request stream, writes {@code m}; the returned recorder collects the relay's answer. */
    private static RawPeer.RawBytes request(final QuicTestClient.Connection c, final ControlMessage m)
        throws Exception
    {
        final RawPeer.RawBytes answer = new RawPeer.RawBytes();
        c.channel().createStream(QuicStreamType.BIDIRECTIONAL, answer).get(5, TimeUnit.SECONDS)
            .writeAndFlush(ControlBytes.draft18(m));
        return answer;
    }

    private static boolean refusedWith(final RawPeer.RawBytes answer, final long code)
    {
        final List<ControlMessage> m = answer.bytes().length == 0 ? List.of() : answer.decoded();
        return !m.isEmpty() && m.get(0) instanceof RequestError && ((RequestError)m.get(0)).errorCode() == code;
    }

    private static void awaitCount(final java.util.function.IntSupplier count, final int expected, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.getAsInt() < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertThat(count.getAsInt()).as(what).isEqualTo(expected);
    }

    /**
     * The relay closed {@code c} with {@code error}: its CONNECTION_CLOSE, or, when none reached the client within 10 s
     * (a single close packet can be lost on a loaded loopback while the attacker floods its own socket), the relay's
     * log line for that very connection (peer address and port) naming the error.
     */
    private static void assertClosedWith(final QuicTestClient.Connection c, final SessionError error, final String who)
        throws Exception
    {
        QuicConnectionCloseEvent close;
        try
        {
            close = c.peerClose().get(10, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.TimeoutException e)
        {
            close = null;
        }
        if (close != null)
        {
            assertThat(close.isApplicationClose()).as(who).isTrue();
            assertThat((long)close.error()).as("%s: close code", who).isEqualTo(error.code());
            return;
        }
        final java.net.InetSocketAddress local = (java.net.InetSocketAddress)c.channel().parent().localAddress();
        final String peer = "MoQT session closed: peer /" + local.getAddress().getHostAddress() + ":" +
            local.getPort() + " ";
        final boolean logged = java.nio.file.Files.readAllLines(relay.log()).stream()
            .anyMatch(l -> l.contains(peer) && l.contains(": " + error.name() + " "));
        report.add("hostile-peers   " + who + ": no CONNECTION_CLOSE reached the client; relay log says " +
            error.name() + ": " + logged);
        assertThat(logged).as("%s: closed by the relay with %s (its log, %s)", who, error, relay.log()).isTrue();
    }

    /** A draft-18 publisher of {@code ns/t} with track alias 1 (PUBLISH answered); its request stream stays open. */
    private QuicTestClient.Connection publisher18(final QuicTestClient client, final String ns) throws Exception
    {
        final QuicTestClient.Connection c = session18(client, true);
        final RawPeer.RawBytes answer = request(c, new Publish(0, TrackNamespace.of(ns), Bytes.utf8("t"), 1,
            MessageParameters.EMPTY, Properties.EMPTY));
        awaitCount(() -> answer.bytes().length > 0 ? 1 : 0, 1, "the answer to " + ns + "'s PUBLISH");
        assertThat(refusedWith(answer, RequestErrorCode.INTERNAL_ERROR) ||
            refusedWith(answer, RequestErrorCode.EXCESSIVE_LOAD)).as(ns + "'s PUBLISH accepted").isFalse();
        return c;
    }

    /** The first bytes of a draft-18 subgroup stream of track alias 1, group {@code group}, then object 0's header. */
    private static byte[] subgroupStart(final long group, final int propertiesLength, final int payloadLength,
        final int bytesOfProperties)
    {
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(Draft.DRAFT_18);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[propertiesLength + 64]);
        final int type = SubgroupHeaderType.of(Draft.DRAFT_18, propertiesLength > 0, SubgroupHeaderType.MODE_ZERO,
            false, false, true);
        final int header = encoder.writeHeader(Draft.DRAFT_18, scratch, 0, type, 1, group, 0, 128);
        final UnsafeBuffer properties = new UnsafeBuffer(new byte[Math.max(1, propertiesLength)]);
        final int object = encoder.writeObject(scratch, header, 0, ObjectStatus.NORMAL, propertiesLength > 0 ?
            properties : null, 0, propertiesLength, payloadLength);
        // Everything up to the properties block, then only bytesOfProperties of it.
        final int sent = header + object - propertiesLength + bytesOfProperties;
        return Arrays.copyOf(scratch.byteArray(), sent);
    }

    // ---- §3.1.1 / §3.2: sessions that never set up, connection floods

    /** Many sessions trickling their SETUP a byte at a time: each is closed at the 1 s deadline. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void slowSetupTrickleFromManySessions() throws Exception
    {
        final byte[] setup = bytes(ControlBytes.draft18(Setup.of(KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION,
            Bytes.utf8("a-slow-peer-with-a-rather-long-implementation-name")))));
        // The 80 QUIC handshakes happen between the quiet window and the attack's: the threat measured is the trickle
        // and the SETUP deadline's closes. A burst of handshakes is the connection flood's test; inside this window its
        // crypto alone (both processes on 2 cores) once put 20 of the pair's 2,000 samples past the bound in CI.
        measureQuiet();
        final List<QuicTestClient.Connection> sessions = new ArrayList<>();
        final List<QuicStreamChannel> streams = new ArrayList<>();
        for (int a = 0; a < 4; a++)
        {
            final QuicTestClient client = client("127.0.0." + (10 + a), "moqt-18");
            for (int i = 0; i < 20; i++)
            {
                final QuicTestClient.Connection c = client.connect(relay.address());
                sessions.add(c);
                streams.add(open(c, QuicStreamType.UNIDIRECTIONAL));
            }
        }
        openAttackWindow();
        for (int b = 0; b < setup.length - 1 && System.nanoTime() - windowStart < TimeUnit.SECONDS.toNanos(5); b++)
        {
            for (final QuicStreamChannel s : streams)
            {
                s.writeAndFlush(Unpooled.wrappedBuffer(setup, b, 1));
            }
            Thread.sleep(100);
            if (sessions.stream().allMatch(s -> s.peerClose().isDone()))
            {
                break;
            }
        }
        for (final QuicTestClient.Connection c : sessions)
        {
            assertClosedWith(c, SessionError.CONTROL_MESSAGE_TIMEOUT, "a trickling session");
        }
        assertPairUnharmed("§3.1.1 SETUP trickle, 80 sessions");
    }

    /**
     * One address opening more connections than its cap: the excess is dropped at each connection's first Initial
     * packet, so the relay starts no handshake for it (its log names no refusal of the address: a connection created
     * and then refused is logged "refused peer=..."), and the flooding client's handshakes time out.
     */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void connectionFloodFromOneAddress() throws Exception
    {
        final String address = "127.0.0.20";
        final QuicTestClient flood = client(address, "moqt-18");
        final QuicTestClient excess = client(address, "moqt-18", EXCESS_HANDSHAKE_TIMEOUT_MS);
        final long refusalsBefore = relayLogLines("refused peer=/" + address);
        startAttack();
        final List<QuicTestClient.Connection> held = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS_PER_ADDRESS; i++)
        {
            final QuicTestClient.Connection c = flood.connect(relay.address());
            held.add(c);
            open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(ControlBytes.draft18(Setup.of()));
        }
        // The excess at once, as a flood would: each attempt's first Initial is answered with a stateless
        // CONNECTION_REFUSED (within moq.relay.refused.initial.closes.per.second), and no connection is created.
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        final List<java.util.concurrent.Future<Boolean>> attempts = new ArrayList<>();
        try
        {
            for (int i = 0; i < 16; i++)
            {
                attempts.add(pool.submit(() ->
                {
                    try
                    {
                        excess.connect(relay.address());
                        return false;
                    }
                    catch (final QuicTestClient.HandshakeFailed failed)
                    {
                        return failed.peerClose != null && !failed.peerClose.isApplicationClose() &&
                            failed.peerClose.error() == 0x2;
                    }
                }));
            }
            int failed = 0;
            for (final java.util.concurrent.Future<Boolean> attempt : attempts)
            {
                failed += attempt.get(EXCESS_HANDSHAKE_TIMEOUT_MS * 4, TimeUnit.MILLISECONDS) ? 1 : 0;
            }
            assertThat(failed).as("connections beyond the cap told CONNECTION_REFUSED, with no handshake")
                .isEqualTo(16);
        }
        finally
        {
            pool.shutdownNow();
        }
        int open = 0;
        for (final QuicTestClient.Connection c : held)
        {
            open += c.peerClose().getNow(null) == null ? 1 : 0;
        }
        assertThat(open).as("connections held by the flooding address").isEqualTo(CONNECTIONS_PER_ADDRESS);
        assertThat(relayLogLines("refused peer=/" + address) - refusalsBefore)
            .as("connections of the flooding address the relay created and then refused (a handshake each)")
            .isZero();
        // Asserted since the excess is answered statelessly (no retransmitted Initials): it held in every run since,
        // three in a row on this box and two in CI; the 32 handshakes' crypto runs in this JVM beside the pair too.
        assertPairUnharmed("§3.2 connection flood, one address");
    }

    /** Handshake timeout of the connections beyond a cap: the relay drops their Initials, so they fail at it. */
    private static final long EXCESS_HANDSHAKE_TIMEOUT_MS = 1_500;

    private static long relayLogLines(final String containing) throws java.io.IOException
    {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(relay.log()))
        {
            return lines.filter(l -> l.contains(containing)).count();
        }
    }

    // ---- §5.3 / Table 1: control message buffering

    private static byte[] partialSubscribe(final int payload)
    {
        final byte[] subscribe = bytes(ControlBytes.draft18(new Subscribe(0, HealthyPair.NS, HealthyPair.TRACK,
            MessageParameters.EMPTY)));
        final int typeSize = Draft.DRAFT_18.varint().sizeAt(new UnsafeBuffer(subscribe), 0);
        final byte[] partial = new byte[typeSize + 2 + payload];
        System.arraycopy(subscribe, 0, partial, 0, typeSize);
        partial[typeSize] = (byte)0xFF;
        partial[typeSize + 1] = (byte)0xFF;
        return partial;
    }

    /** Request streams each holding 10,000 bytes of a 65,535-byte message: sessions closed at their budget. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void requestStreamsHoldingPartialControlMessages() throws Exception
    {
        final QuicTestClient client = client("127.0.0.30", "moqt-18");
        final byte[] partial = partialSubscribe(10_000);
        // The handshakes happen between the quiet window and the attack's, as in the SETUP trickle's test.
        measureQuiet();
        final List<QuicTestClient.Connection> sessions = new ArrayList<>();
        for (int s = 0; s < 4; s++)
        {
            sessions.add(session18(client, true));
        }
        openAttackWindow();
        for (int i = 0; i < 100 && !sessions.stream().allMatch(c -> c.peerClose().isDone()); i++)
        {
            for (final QuicTestClient.Connection c : sessions)
            {
                if (!c.peerClose().isDone())
                {
                    try
                    {
                        c.channel().createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                            .get(5, TimeUnit.SECONDS).writeAndFlush(Unpooled.wrappedBuffer(partial));
                    }
                    catch (final Exception e)
                    {
                        // closed meanwhile
                    }
                }
            }
            Thread.sleep(10);
        }
        for (final QuicTestClient.Connection c : sessions)
        {
            assertClosedWith(c, SessionError.INTERNAL_ERROR, "a session holding partial messages");
        }
        assertPairUnharmed("§5.3 partial control messages");
    }

    // ---- §6.1: requests, namespaces, tracks per session

    /** SUBSCRIBEs held waiting for a publisher beyond the session's request bound: refused one by one. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void subscribeFloodBeyondTheSessionsRequests() throws Exception
    {
        final QuicTestClient client = client("127.0.0.40", "moqt-18");
        startAttack();
        final QuicTestClient.Connection c = session18(client, true);
        final List<RawPeer.RawBytes> answers = new ArrayList<>();
        for (int i = 0; i < MAX_REQUESTS + 32; i++)
        {
            answers.add(request(c, new Subscribe(2L * i, TrackNamespace.of("nobody" + run), Bytes.utf8("t" + i),
                MessageParameters.of(new Parameter.RendezvousTimeout(60_000)))));
        }
        awaitCount(() -> (int)answers.stream().filter(a -> refusedWith(a, RequestErrorCode.EXCESSIVE_LOAD)).count(),
            32, "SUBSCRIBEs refused with EXCESSIVE_LOAD");
        holdAttack();
        assertThat(answers.stream().filter(a -> a.bytes().length == 0).count()).as("SUBSCRIBEs held")
            .isEqualTo(MAX_REQUESTS);
        assertThat(c.peerClose()).as("refusing a request is not a session error").isNotDone();
        assertPairUnharmed("§6.1 SUBSCRIBE flood");
    }

    /** PUBLISH_NAMESPACE beyond the session's namespace bound: refused, the session stays. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void namespaceAdvertisementFlood() throws Exception
    {
        final QuicTestClient client = client("127.0.0.41", "moqt-18");
        startAttack();
        final QuicTestClient.Connection c = session18(client, true);
        final List<RawPeer.RawBytes> answers = new ArrayList<>();
        for (int i = 0; i < MAX_NAMESPACES + 16; i++)
        {
            answers.add(request(c, new PublishNamespace(2L * i, TrackNamespace.of("flood" + run, "n" + i),
                MessageParameters.EMPTY)));
        }
        awaitCount(() -> (int)answers.stream().filter(a -> a.bytes().length > 0).count(), answers.size(),
            "PUBLISH_NAMESPACEs answered");
        assertThat(answers.stream().filter(a -> refusedWith(a, RequestErrorCode.EXCESSIVE_LOAD)).count())
            .as("PUBLISH_NAMESPACEs refused with EXCESSIVE_LOAD").isEqualTo(16);
        holdAttack();
        assertThat(c.peerClose()).isNotDone();
        assertPairUnharmed("§4.3 namespace advertisement flood");
    }

    /** PUBLISH of track after track: refused beyond the session's share of the tracks, another still publishes. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void aClientTakingTheTrackShare() throws Exception
    {
        final QuicTestClient client = client("127.0.0.42", "moqt-18");
        startAttack();
        final QuicTestClient.Connection c = session18(client, true);
        final List<RawPeer.RawBytes> answers = new ArrayList<>();
        for (int i = 0; i < TRACK_SHARE + 10; i++)
        {
            answers.add(request(c, new Publish(2L * i, TrackNamespace.of("greedy" + run), Bytes.utf8("t" + i), i + 1,
                MessageParameters.EMPTY, Properties.EMPTY)));
        }
        awaitCount(() -> (int)answers.stream().filter(a -> a.bytes().length > 0).count(), answers.size(),
            "PUBLISHes answered");
        assertThat(answers.stream().filter(a -> refusedWith(a, RequestErrorCode.EXCESSIVE_LOAD)).count())
            .as("PUBLISHes refused with EXCESSIVE_LOAD").isEqualTo(10);
        try (MoqClient other = HealthyPair.connect(relay.address()))
        {
            other.track(TrackNamespace.of("fair" + run), Bytes.utf8("t"), 1).publish().get(5, TimeUnit.SECONDS);
        }
        holdAttack();
        assertThat(c.peerClose()).isNotDone();
        assertPairUnharmed("§6.1 track share");
    }

    // ---- §4.2: rapid request cycles

    /**
     * SUBSCRIBE to the healthy track and cancel it at once (FIN on the request stream), as fast as the client can:
     * past the burst the relay refuses with EXCESSIVE_LOAD, and a session that keeps going is closed INTERNAL_ERROR.
     */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void subscribeUnsubscribeChurn() throws Exception
    {
        final QuicTestClient client = client("127.0.0.70", "moqt-18");
        startAttack();
        final QuicTestClient.Connection c = session18(client, true);
        final List<RawPeer.RawBytes> answers = new ArrayList<>();
        int sent = 0;
        String stopped = "its time is up";
        while (!c.peerClose().isDone() && System.nanoTime() - windowStart < TimeUnit.MILLISECONDS.toNanos(ATTACK_MILLIS))
        {
            final RawPeer.RawBytes answer = new RawPeer.RawBytes();
            try
            {
                final QuicStreamChannel s = c.channel().createStream(QuicStreamType.BIDIRECTIONAL, answer)
                    .get(5, TimeUnit.SECONDS);
                s.writeAndFlush(ControlBytes.draft18(new Subscribe(2L * sent, HealthyPair.NS, HealthyPair.TRACK,
                    MessageParameters.of(new Parameter.Filter(SubscriptionFilter.largestObject())))))
                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
            catch (final Exception e)
            {
                // closed meanwhile, or out of stream credit (QUIC's bidi stream limit)
                stopped = "no new stream: " + (e.getCause() != null ? e.getCause() : e);
                break;
            }
            answers.add(answer);
            sent++;
        }
        if (c.peerClose().isDone())
        {
            stopped = "the relay closed the session";
        }
        try
        {
            c.peerClose().get(10, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.TimeoutException e)
        {
            // asserted below, after the figures are reported
        }
        final long refused = answers.stream().filter(a -> refusedWith(a, RequestErrorCode.EXCESSIVE_LOAD)).count();
        report.add("hostile-peers   churn: " + sent + " SUBSCRIBE+cancel cycles sent in " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - windowStart) + " ms, " + refused +
            " refused with EXCESSIVE_LOAD before the close; the client stopped: " + stopped);
        assertClosedWith(c, SessionError.INTERNAL_ERROR, "a churning session");
        assertThat(sent).as("cycles before the close: the burst, then refusals").isGreaterThan(REQUEST_BURST);
        assertPairUnharmed("§4.2 subscribe/cancel churn", false);
    }

    // ---- §5.1: slow subscribers on the healthy track

    /** Ten subscribers of the healthy track that never read: bounded by the backlog, not a session error. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void slowSubscribersOnTheHealthyTrack() throws Exception
    {
        final QuicTestClient client = client("127.0.0.80", "moqt-18");
        // The ten handshakes happen between the quiet window and the attack's: the threat is subscribers that never
        // read. Inside the window their crypto alone (both processes on 2 cores) once put the pair's p99 at 7.1 ms
        // against a bound of 5.7 ms in CI.
        measureQuiet();
        final List<QuicTestClient.Connection> slow = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            slow.add(session18(client, false));
        }
        openAttackWindow();
        for (final QuicTestClient.Connection c : slow)
        {
            request(c, new Subscribe(0, HealthyPair.NS, HealthyPair.TRACK,
                MessageParameters.of(new Parameter.Filter(SubscriptionFilter.largestObject()))));
        }
        holdAttack();
        for (final QuicTestClient.Connection c : slow)
        {
            assertThat(c.peerClose()).as("a slow subscriber is not a protocol error").isNotDone();
        }
        assertPairUnharmed("§5.1 slow subscribers, same track");
    }

    // ---- §3.1.2: a publisher keeping many subgroup streams open

    /** A publisher opening subgroup streams, each with a partial object, and keeping them open. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void publisherKeepingManySubgroupStreamsOpen() throws Exception
    {
        final QuicTestClient client = client("127.0.0.90", "moqt-18");
        startAttack();
        final QuicTestClient.Connection c = publisher18(client, "hog" + run);
        int opened = 0;
        for (int g = 0; g < 1_200; g++)
        {
            final byte[] start = subgroupStart(g, 0, 1_000, 0);
            try
            {
                final QuicStreamChannel s = c.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
                    new ChannelInboundHandlerAdapter()).get(2, TimeUnit.SECONDS);
                s.writeAndFlush(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(start), Unpooled.wrappedBuffer(
                    new byte[10])));
                opened++;
            }
            catch (final Exception e)
            {
                break; // the relay's stream limit
            }
        }
        report.add("hostile-peers   subgroup streams opened and held by one publisher: " + opened);
        assertThat(opened).as("streams one publisher could hold open").isLessThanOrEqualTo(
            (int)RelayConfiguration.QUIC_INITIAL_MAX_STREAMS_UNI_DEFAULT);
        holdAttack();
        // Asserted since every clean-clone CI run after the one that measured 2.3 -> 7.4 ms against 6.6 ms held it
        // (eight, 1.8-4.6 ms and one 10.3 ms against 11.3 ms; docs/hardening.md), and a miss now runs once more.
        assertPairUnharmed("§3.1.2 many open subgroup streams");
    }

    // ---- defects found in review

    /** Defect 1: subgroup streams declaring a 65,535-byte properties block and sending 10 bytes of it, ×1,600. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void manyStreamsDeclaringAFullPropertiesBlock() throws Exception
    {
        final QuicTestClient client = client("127.0.0.100", "moqt-18");
        startAttack();
        for (int p = 0; p < 2; p++)
        {
            final QuicTestClient.Connection c = publisher18(client, "props" + p + run);
            for (int g = 0; g < 800; g++)
            {
                c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                    .get(2, TimeUnit.SECONDS).writeAndFlush(Unpooled.wrappedBuffer(subgroupStart(g, 65_535, 10, 10)));
            }
        }
        assertPairUnharmed("defect 1: 65,535-byte properties x1600");
    }

    /** Defect 2: a draft-18 Payload Length of 2^64-1, then payload at 16 MB/s. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void aPayloadLengthAbove2To63ThenLotsOfPayload() throws Exception
    {
        final QuicTestClient client = client("127.0.0.110", "moqt-18");
        startAttack();
        final QuicTestClient.Connection c = publisher18(client, "huge" + run);
        final QuicStreamChannel s = open(c, QuicStreamType.UNIDIRECTIONAL);
        s.writeAndFlush(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("1001078000ffffffffffffffffff")));
        final byte[] chunk = new byte[64 << 10];
        long written = 0;
        while (System.nanoTime() - windowStart < TimeUnit.MILLISECONDS.toNanos(ATTACK_MILLIS) && s.isActive())
        {
            final var f = s.writeAndFlush(Unpooled.wrappedBuffer(chunk));
            if (!f.await(1, TimeUnit.SECONDS) || !f.isSuccess())
            {
                break;
            }
            written += chunk.length;
            Thread.sleep(4);
        }
        report.add("hostile-peers   payload bytes the relay accepted after a 2^64-1 Payload Length: " + written);
        // Before the length was compared unsigned, the relay gathered 22-32 MB of it in this window.
        assertThat(written).as("payload accepted beyond the session's gather budget (8 MiB)")
            .isLessThanOrEqualTo(9L << 20);
        assertPairUnharmed("defect 2: Payload Length >= 2^63");
    }

    /** Defect 3: objects of 1 MiB and 2 MiB are carried; one above the store's maximum (4 MiB) is not. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void objectsOfOneAndTwoMebibytes() throws Exception
    {
        final TrackNamespace ns = TrackNamespace.of("big" + run);
        final Random random = new Random(3);
        final byte[] one = new byte[1 << 20];
        final byte[] two = new byte[2 << 20];
        final byte[] six = new byte[6 << 20];
        random.nextBytes(one);
        random.nextBytes(two);
        random.nextBytes(six);
        final MoqClient publisher = HealthyPair.connect(relay.address());
        attackers.add(publisher);
        final MoqClient subscriber = HealthyPair.connect(relay.address());
        attackers.add(subscriber);
        publisher.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(ns, Bytes.utf8("t"), 128);
        // Compared on arrival, not copied: 1-2 MiB arrays made during the attack cost this JVM (where the healthy pair
        // runs too) humongous allocations and G1 pauses of up to 50 ms, which the pair's latency then measured.
        final Map<String, Boolean> got = new ConcurrentHashMap<>();
        subscriber.subscribe(ns, Bytes.utf8("t"), SubscribeOptions.LATEST, new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                if (o.status() == ObjectStatus.NORMAL)
                {
                    final byte[] expected = o.groupId() == 0 && o.objectId() == 1 ? two : o.groupId() == 1 ? six : one;
                    got.put(o.groupId() + "/" + o.objectId(), ByteBufUtil.equals(Unpooled.wrappedBuffer(expected),
                        o.payload()));
                }
            }
        }).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        startAttack();
        final SubgroupWriter g0 = track.openSubgroup(0, 0);
        g0.write(0, Unpooled.wrappedBuffer(one));
        g0.write(1, Unpooled.wrappedBuffer(two));
        g0.endGroup(2);
        final SubgroupWriter g1 = track.openSubgroup(1, 0);
        g1.write(0, Unpooled.wrappedBuffer(six));
        g1.endGroup(1);
        final SubgroupWriter g2 = track.openSubgroup(2, 0);
        g2.write(0, Unpooled.wrappedBuffer(one));
        g2.endGroup(1);
        // Each group on its own stream: the 1 MiB object of group 2 may arrive before the 2 MiB one of group 0 (the
        // relay hands both to QUIC in slices, interleaved), so the test waits for all three, not for the last written.
        awaitCount(() -> (got.containsKey("0/0") ? 1 : 0) + (got.containsKey("0/1") ? 1 : 0) +
            (got.containsKey("2/0") ? 1 : 0), 3, "the 1 MiB and 2 MiB objects of group 0, the 1 MiB one of group 2");
        assertThat(got.get("0/0")).as("the 1 MiB object, byte for byte").isTrue();
        assertThat(got.get("0/1")).as("the 2 MiB object, byte for byte").isTrue();
        assertThat(got.get("2/0")).as("the last 1 MiB object, byte for byte").isTrue();
        assertThat(got).as("the 6 MiB object is above moq.relay.store.max.object.bytes").doesNotContainKey("1/0");
        assertPairUnharmed("defect 3: 1 MiB and 2 MiB objects", false);
    }

    /** Defect 4: request streams whose request ids arrive out of order are served; a reused id closes the session. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void requestStreamsArrivingOutOfOrder() throws Exception
    {
        final QuicTestClient client = client("127.0.0.111", "moqt-18");
        startAttack();
        final QuicTestClient.Connection c = session18(client, true);
        final List<Long> ids = new ArrayList<>();
        for (long i = 0; i < 40; i++)
        {
            ids.add(2 * i);
        }
        Collections.shuffle(ids, new Random(4));
        final List<RawPeer.RawBytes> answers = new ArrayList<>();
        for (final long id : ids)
        {
            answers.add(request(c, new Subscribe(id, TrackNamespace.of("ooo" + run), Bytes.utf8("t" + id),
                MessageParameters.EMPTY)));
        }
        awaitCount(() -> (int)answers.stream().filter(a -> refusedWith(a, RequestErrorCode.DOES_NOT_EXIST)).count(),
            ids.size(), "out-of-order SUBSCRIBEs answered (no publisher: DOES_NOT_EXIST)");
        assertThat(c.peerClose()).as("out-of-order request ids are no error").isNotDone();
        request(c, new Subscribe(ids.get(7), TrackNamespace.of("ooo" + run), Bytes.utf8("again"),
            MessageParameters.EMPTY));
        assertClosedWith(c, SessionError.INVALID_REQUEST_ID, "a reused request id");
        assertPairUnharmed("defect 4: request ids out of order");
    }

    // ---- malformed input

    /** Garbage on draft-18 and draft-14 control streams and a non-request opening a request stream, ×8 each. */
    @RetryingTest(maxAttempts = 2, onExceptions = LatencyBoundExceeded.class)
    void garbageAndMalformedControlMessages() throws Exception
    {
        final QuicTestClient d18 = client("127.0.0.120", "moqt-18");
        final QuicTestClient d14 = client("127.0.0.121", "moq-00");
        startAttack();
        final List<QuicTestClient.Connection> sessions = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            final QuicTestClient.Connection garbage18 = d18.connect(relay.address());
            open(garbage18, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(new byte[] {
                (byte)0x6F, 0x00, 0x00, 0x03, 0x7F, 0x7F, 0x7F}));
            final QuicTestClient.Connection notARequest = session18(d18, true);
            open(notARequest, QuicStreamType.BIDIRECTIONAL).writeAndFlush(ControlBytes.draft18(
                moq.relay.wire.d18.RequestOk.EMPTY));
            final QuicTestClient.Connection garbage14 = d14.connect(relay.address());
            open(garbage14, QuicStreamType.BIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(new byte[] {
                0x3E, 0x00, 0x02, 0x7F, 0x7F}));
            sessions.addAll(List.of(garbage18, notARequest, garbage14));
            Thread.sleep(100);
        }
        for (final QuicTestClient.Connection c : sessions)
        {
            assertClosedWith(c, SessionError.PROTOCOL_VIOLATION, "a peer sending garbage");
        }
        assertPairUnharmed("malformed control messages");
    }
}
