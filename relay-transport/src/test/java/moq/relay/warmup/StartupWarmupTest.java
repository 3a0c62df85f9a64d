package moq.relay.warmup;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import moq.relay.MoqRelay;
import moq.relay.RelayListener;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.LiteTrackWriter;
import moq.relay.client.LiteWebTransportSubscriber;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.transport.StartupException;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.LiteVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start-up warm-up ({@code moq.relay.warmup.duration}) of a real {@link MoqRelay} on loopback: it runs traffic of
 * every raw-QUIC protocol the relay offers, of draft 14 over WebTransport (the browser call's) and of moq-lite over
 * WebTransport (the call page's default), holds
 * {@code /ready} until done, leaves nothing the relay's users can see (no session, request or track in the metrics,
 * no listener event, no namespace a subscriber can reach, no thread), and real sessions after it work. It delays neither a bind failure nor a stop. Timing is not asserted here
 * (perf/README.md measures what it buys).
 */
class StartupWarmupTest
{
    private static final List<String> RAW_QUIC_PROTOCOLS = List.of("moqt-18", "moqt-20", "moq-00", "moq-lite-05",
        "moq-lite-04", "moq-lite-03");
    /** The browser call's pair: draft 14 over WebTransport ({@code WebTransportWarmupPair}). */
    private static final String WEBTRANSPORT = "webtransport/moq-00";
    /**
     * The call page's default path: moq-lite over WebTransport both ways ({@code LiteWebTransportWarmupPair}: a
     * WebTransport publisher and a WebTransport subscriber), at the version the relay's default
     * {@code moq.relay.webtransport.protocols} gives {@code @moq/net}.
     */
    private static final String LITE_WEBTRANSPORT = "webtransport/moq-lite-05";
    private static final List<String> WARMED = java.util.stream.Stream.concat(RAW_QUIC_PROTOCOLS.stream(),
        java.util.stream.Stream.of(WEBTRANSPORT, LITE_WEBTRANSPORT)).toList();

    @TempDir
    Path certDir;

    private final HttpClient http = HttpClient.newHttpClient();

    /** Every event the relay's listener heard. */
    static final class Events implements RelayListener
    {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void sessionOpened(final SessionInfo session)
        {
            seen.add("opened " + session.draft());
        }

        @Override
        public void sessionClosed(final SessionInfo session)
        {
            seen.add("closed " + session.draft());
        }

        @Override
        public void namespacePublished(final SessionInfo session, final TrackNamespace namespace)
        {
            seen.add("published " + namespace);
        }

        @Override
        public void trackPublished(final SessionInfo session, final FullTrackName track)
        {
            seen.add("track " + track);
        }

        @Override
        public void subscribed(final SessionInfo session, final FullTrackName track)
        {
            seen.add("subscribed " + track);
        }

        @Override
        public void requestRefused(final SessionInfo session, final RequestKind kind, final TrackNamespace namespace,
            final Bytes track, final RequestErrorCode error)
        {
            seen.add("refused " + kind + " " + error);
        }
    }

    private MoqRelay.Builder relay(final String warmup)
    {
        return MoqRelay.builder().bindAddress("127.0.0.1").port(0).adminPort(0).certificateDirectory(certDir)
            // Room for the warm-up's large opening (LargeFrames: 8 pairs' worth in half the store).
            .set(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "128m")
            .set(RelayConfiguration.WARMUP_DURATION_PROP_NAME, warmup);
    }

    @Test
    @Timeout(90)
    void warmsEveryRawQuicProtocolThroughARelayOfItsOwnThenLeavesNothingVisible() throws Exception
    {
        final Events events = new Events();
        final MoqRelay relay = relay("2s").listener(events).start();
        try
        {
            assertThat(relay.isReady()).as("ready before the warm-up ends").isFalse();
            assertThat(get(relay, "/ready").statusCode()).isEqualTo(503);

            final WarmupReport report = relay.warmup().get(60, TimeUnit.SECONDS);
            assertThat(report.ran()).isTrue();
            assertThat(report.cancelled()).isFalse();
            assertThat(report.failures()).isEmpty();
            assertThat(report.protocols()).extracting(WarmupReport.Protocol::protocol)
                .containsExactlyInAnyOrderElementsOf(WARMED);
            // Every protocol's pair was set up (sessions, setup, publish and subscribe went through the relay) and
            // sent rounds; how much of them arrived in 2 s depends on how busy the box is, so only the whole is bound.
            for (final WarmupReport.Protocol p : report.protocols())
            {
                assertThat(p.rounds()).as("%s rounds sent", p.protocol()).isPositive();
                if (p.protocol().startsWith("moq-lite"))
                {
                    assertThat(p.datagrams()).as("moq-lite carries no datagrams").isZero();
                }
            }
            assertLargeOpening(report);
            // The WebTransport pair's subscriber got the relay's subgroup streams over WebTransport.
            final WarmupReport.Protocol webTransport = report.protocols().stream()
                .filter(p -> p.protocol().equals(WEBTRANSPORT)).findFirst().orElseThrow();
            assertThat(webTransport.objects()).as("objects received over WebTransport").isPositive();
            assertThat(webTransport.bytes()).as("bytes received over WebTransport")
                .isGreaterThan(webTransport.objects());
            // So did the moq-lite pair's: Group Streams over WebTransport, frames decoded.
            final WarmupReport.Protocol liteWebTransport = report.protocols().stream()
                .filter(p -> p.protocol().equals(LITE_WEBTRANSPORT)).findFirst().orElseThrow();
            assertThat(liteWebTransport.objects()).as("moq-lite frames received over WebTransport").isPositive();
            assertThat(liteWebTransport.bytes()).as("moq-lite bytes received over WebTransport")
                .isGreaterThan(liteWebTransport.objects());
            assertThat(liteWebTransport.datagrams()).as("moq-lite carries no datagrams").isZero();
            assertThat(report.objects()).as("objects received on streams").isPositive();
            assertThat(report.datagrams()).as("objects received as datagrams").isPositive();
            assertThat(report.bytes()).isGreaterThan(report.objects());
            assertThat(relay.isReady()).isTrue();
            assertThat(get(relay, "/ready").statusCode()).isEqualTo(200);

            // Nothing of it is visible on the relay: metrics, listener, connections, threads.
            final String metrics = get(relay, "/metrics").body();
            assertThat(metrics).doesNotContain("moq_relay_sessions_opened_total{")
                .doesNotContain("moq_relay_requests_total{");
            for (final String zero : List.of("moq_relay_tracks", "moq_relay_publishers", "moq_relay_subscriptions",
                "moq_relay_objects_sent_total", "moq_relay_store_in_use_bytes", "moq_relay_connections"))
            {
                assertThat(value(metrics, zero)).as(zero).isZero();
            }
            assertThat(value(metrics, "moq_relay_ready")).isEqualTo(1);
            assertThat(events.seen).as("listener events").isEmpty();
            assertThat(relay.connectionCount()).isZero();
            await(() -> warmupThreads().isEmpty(), () -> "warm-up threads still alive: " + warmupThreads());

            // Sessions after it work; the warm-up's namespaces are unknown to the relay.
            try (MoqClient publisher = connect(relay, Draft.DRAFT_18);
                 MoqClient subscriber = connect(relay, Draft.DRAFT_18))
            {
                final TrackNamespace ns = TrackNamespace.of("room", "alice");
                publisher.publishNamespace(ns).get(10, TimeUnit.SECONDS);
                final TrackPublisher track = publisher.track(ns, Bytes.utf8("video"), 1);
                final AtomicInteger received = new AtomicInteger();
                subscriber.subscribe(ns, track.name(), SubscribeOptions.LATEST, counting(received))
                    .get(10, TimeUnit.SECONDS);
                track.firstSubscriber().get(10, TimeUnit.SECONDS);
                final SubgroupWriter group = track.openSubgroup(0, 0);
                for (int o = 0; o < 10; o++)
                {
                    group.write(o, Unpooled.wrappedBuffer(new byte[1000]));
                }
                group.close();
                await(() -> received.get() == 10, () -> received.get() + " of 10 objects after the warm-up");

                for (final String protocol : WARMED)
                {
                    final CompletableFuture<?> warmupTrack = subscriber.subscribe(
                        TrackNamespace.of(WarmupTraffic.NAMESPACE, protocol), Bytes.utf8(WarmupTraffic.VIDEO),
                        SubscribeOptions.LATEST, counting(new AtomicInteger()));
                    assertThatThrownBy(() -> warmupTrack.get(10, TimeUnit.SECONDS))
                        .as("SUBSCRIBE to the warm-up's %s track", protocol).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(RequestRejectedException.class);
                }
            }
            assertThat(events.seen).as("the real sessions are heard").contains("opened draft-18",
                "published " + TrackNamespace.of("room", "alice"));
        }
        finally
        {
            relay.close();
        }
    }

    /**
     * A relay that serves browsers only ({@code moq.relay.alpn=h3}): no raw-QUIC client can reach its throwaway
     * relay, so what warms it is the moq-lite pair whose publisher, too, runs over WebTransport (before, that pair
     * published over raw QUIC and was left out here, and such a relay served its first call cold). Its frames went
     * through; nothing of it is visible after (metrics, listener, connections, threads, the broadcast to a WebTransport
     * subscriber of the real relay), and a real WebTransport publisher and subscriber then work.
     */
    /**
     * Every raw-QUIC MoQT and moq-lite pair's large opening went through the relay however short the warm-up (issue 12):
     * its subscriber received the large key frames ({@code LargeFrames}: 1 MiB + 1 and 2 MiB at the default 1 MiB
     * segments) and the relay refused its one object above {@code moq.relay.store.max.object.bytes}. Before, a 3 s
     * warm-up on a busy box sent the MoQT pairs one or two large key frames, the moq-lite pairs none, and nothing
     * refused.
     */
    private static void assertLargeOpening(final WarmupReport report)
    {
        final int keyFrames = LargeFrames.of(RelayConfiguration.from(java.util.Map.of(
            RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "128m"))).keyFrames().length;
        assertThat(keyFrames).as("large key frames in the opening").isEqualTo(2);
        for (final WarmupReport.Protocol p : report.protocols())
        {
            if (RAW_QUIC_PROTOCOLS.contains(p.protocol()))
            {
                // At least one of the key frames and the object behind the first went through the relay's large-object
                // egress. Not all: on a busy box the relay may skip a subscriber that fell a second behind past a
                // large key frame's group (TOO_FAR_BEHIND, by design): a draft-18 pair received 2 of 3 in a package run
                // at load average 4-5, and a moq-lite subscriber lost none, one or all of them at 10-15
                // (docs/hardening.md), so only the relay's refusal, which its ingest decides, is asserted there.
                if (!p.protocol().startsWith("moq-lite"))
                {
                    assertThat(p.largeObjects()).as("%s large objects received", p.protocol()).isPositive();
                }
                assertThat(p.oversized()).as("%s objects refused above the store's maximum", p.protocol())
                    .isBetween(1L, 1 + p.rounds() / LargeFrames.REPEAT_EVERY);
            }
        }
    }

    /** A warm-up far shorter than its opening still sends and receives all of it. */
    @Test
    @Timeout(90)
    void aShortWarmupStillRunsItsLargeOpening() throws Exception
    {
        final MoqRelay relay = relay("1ms").start();
        try
        {
            final WarmupReport report = relay.warmup().get(60, TimeUnit.SECONDS);
            assertThat(report.failures()).isEmpty();
            assertThat(report.protocols()).extracting(WarmupReport.Protocol::protocol)
                .containsAll(RAW_QUIC_PROTOCOLS);
            assertLargeOpening(report);
        }
        finally
        {
            relay.close();
        }
    }

    @Test
    @Timeout(90)
    void aWebTransportOnlyRelayIsWarmedByAWebTransportPublisher() throws Exception
    {
        final Events events = new Events();
        final MoqRelay relay = relay("2s").set(RelayConfiguration.ALPN_PROP_NAME, "h3").listener(events).start();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try
        {
            final WarmupReport report = relay.warmup().get(60, TimeUnit.SECONDS);
            assertThat(report.failures()).isEmpty();
            assertThat(report.protocols()).extracting(WarmupReport.Protocol::protocol)
                .containsExactly(LITE_WEBTRANSPORT);
            final WarmupReport.Protocol lite = report.protocols().get(0);
            assertThat(lite.rounds()).as("rounds published over WebTransport").isPositive();
            assertThat(lite.objects()).as("frames published and received over WebTransport").isPositive();
            assertThat(lite.bytes()).isGreaterThan(lite.objects());
            assertThat(relay.isReady()).isTrue();

            final String metrics = get(relay, "/metrics").body();
            assertThat(metrics).doesNotContain("moq_relay_sessions_opened_total{")
                .doesNotContain("moq_relay_requests_total{");
            for (final String zero : List.of("moq_relay_tracks", "moq_relay_publishers", "moq_relay_subscriptions",
                "moq_relay_objects_sent_total", "moq_relay_store_in_use_bytes", "moq_relay_connections"))
            {
                assertThat(value(metrics, zero)).as(zero).isZero();
            }
            assertThat(events.seen).as("listener events").isEmpty();
            assertThat(relay.connectionCount()).isZero();
            await(() -> warmupThreads().isEmpty(), () -> "warm-up threads still alive: " + warmupThreads());

            final long timeout = TimeUnit.SECONDS.toNanos(10);
            final String path = RelayConfiguration.WEBTRANSPORT_PATH_DEFAULT;
            final LiteVersion version = LiteVersion.ofAlpn(LITE_WEBTRANSPORT.substring("webtransport/".length()));
            try (LiteClient publisher = LiteClient.connectWebTransport("127.0.0.1", relay.port(), path, version,
                     ClientTrust.insecure(), group, timeout);
                 LiteWebTransportSubscriber subscriber = LiteWebTransportSubscriber.connect("127.0.0.1",
                     relay.port(), path, List.of(version), ClientTrust.insecure(), group, timeout))
            {
                final String warmed = WarmupTraffic.NAMESPACE + "/" + LITE_WEBTRANSPORT;
                assertThatThrownBy(() -> subscriber.subscribe(warmed, WarmupTraffic.VIDEO, 128)
                    .get(10, TimeUnit.SECONDS)).as("SUBSCRIBE to the warm-up's broadcast")
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RequestRejectedException.class);

                final LiteTrackWriter video = publisher.publish("room/alice", "video", 1);
                publisher.announced("room/alice").get(10, TimeUnit.SECONDS);
                await(() -> events.seen.contains("published " + TrackNamespace.of("room", "alice")),
                    () -> "the real WebTransport publisher's broadcast: " + events.seen);
                subscriber.subscribe("room/alice", "video", 128).get(10, TimeUnit.SECONDS);
                video.firstSubscriber().get(10, TimeUnit.SECONDS);
                for (int f = 0; f < 10; f++)
                {
                    video.frame(0, Unpooled.wrappedBuffer(new byte[1000]));
                }
                video.endGroup(0);
                await(() -> subscriber.frames() == 10, () -> subscriber.frames() + " of 10 frames after the warm-up");
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            relay.close();
        }
    }

    @Test
    @Timeout(60)
    void neitherABindFailureNorAStopWaitsForIt() throws Exception
    {
        final MoqRelay relay = relay("30s").start(); // also creates the certificate, which a cold JVM takes long to
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            // A second relay (its warm-up configured too) on a taken port, while the first one warms up.
            final long bind = System.nanoTime();
            assertThatThrownBy(() -> relay("30s").port(taken.getLocalPort()).start())
                .isInstanceOf(StartupException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bind)).as("ms to report the port in use")
                .isLessThan(5_000);

            Thread.sleep(500); // into the warm-up
            assertThat(relay.warmup()).isNotDone();
            final long stop = System.nanoTime();
            relay.stop();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stop)).as("ms to stop during the warm-up")
                .isLessThan(5_000);
            final WarmupReport report = relay.warmup().get(5, TimeUnit.SECONDS);
            assertThat(report.cancelled()).isTrue();
            assertThat(relay.isReady()).isFalse();
            await(() -> warmupThreads().isEmpty(), () -> "warm-up threads still alive: " + warmupThreads());
        }
        finally
        {
            relay.close();
        }
    }

    @Test
    @Timeout(30)
    void zeroSecondsTurnsItOff() throws Exception
    {
        final MoqRelay relay = relay("0s").start();
        try
        {
            assertThat(relay.isReady()).isTrue();
            assertThat(relay.warmup().getNow(null)).isEqualTo(WarmupReport.OFF);
            assertThat(warmupThreads()).isEmpty();
        }
        finally
        {
            relay.close();
        }
    }

    private static List<String> warmupThreads()
    {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(n -> n.startsWith(StartupWarmup.THREAD_PREFIX)).toList();
    }

    private static SubscriptionListener counting(final AtomicInteger received)
    {
        return new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject object)
            {
                received.incrementAndGet();
            }
        };
    }

    private static MoqClient connect(final MoqRelay relay, final Draft draft) throws Exception
    {
        return MoqClient.connect(ClientConfig.of("127.0.0.1", relay.port(), draft, ClientTrust.insecure()))
            .get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(final MoqRelay relay, final String path) throws Exception
    {
        final URI uri = URI.create("http://127.0.0.1:" + relay.adminAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the unlabelled sample {@code name} in a Prometheus text scrape, which must have it. */
    private static double value(final String scrape, final String name)
    {
        final Matcher m = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(m.find()).as("%s in the scrape", name).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void await(final java.util.function.BooleanSupplier condition,
        final java.util.function.Supplier<String> what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out: " + what.get());
            }
            Thread.sleep(10);
        }
    }
}
