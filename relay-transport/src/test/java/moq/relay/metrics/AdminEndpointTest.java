package moq.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import moq.relay.MoqRelay;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SessionListener;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.LogCapture;
import moq.relay.transport.webtransport.WebTransportTestClient;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectDatagramEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener of a real relay on loopback, scraped before and after a scripted run of real MoQT clients: the
 * counts are the run's; Debian's {@code promtool check metrics} accepts a real scrape; {@code /ready} turns false
 * during the GOAWAY drain while {@code /health} stays up; every session end is one INFO line with its counts.
 */
class AdminEndpointTest
{
    static final TrackNamespace NS = TrackNamespace.of("metrics", "room");
    static final Bytes TRACK = Bytes.utf8("video");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    static Path certDir;

    @RegisterExtension
    final LogCapture sessionEnds = new LogCapture("moq.relay.session.end");

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<MoqClient> clients = new ArrayList<>();
    private MoqRelay relay;

    @AfterEach
    void stop()
    {
        clients.forEach(MoqClient::close);
        if (relay != null)
        {
            relay.close();
        }
    }

    private MoqRelay start(final String drainTimeout)
    {
        relay = MoqRelay.builder()
            .bindAddress("127.0.0.1")
            .port(0)
            .adminPort(0)
            .certificateDirectory(certDir)
            .set(RelayConfiguration.SHUTDOWN_DRAIN_TIMEOUT_PROP_NAME, drainTimeout)
            .set(RelayConfiguration.WARMUP_DURATION_PROP_NAME, "0s") // ready at once (StartupWarmupTest)
            .set(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m")
            .set(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k")
            .set(RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m")
            .set(RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k")
            .start();
        return relay;
    }

    private MoqClient connect(final Draft draft, final SessionListener listener) throws Exception
    {
        final MoqClient c = MoqClient.connect(ClientConfig.of("127.0.0.1", relay.port(), draft,
            ClientTrust.insecure()).withListener(listener)).get(10, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        final URI uri = URI.create("http://127.0.0.1:" + relay.adminAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws Exception
    {
        return scrape(http, relay);
    }

    /** {@code relay}'s {@code /metrics}, asserted to answer 200. */
    static String scrape(final HttpClient http, final MoqRelay relay) throws Exception
    {
        final URI uri = URI.create("http://127.0.0.1:" + relay.adminAddress().getPort() + "/metrics");
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void scrapeCountsWhatAScriptedRunDid() throws Exception
    {
        start("1s");
        final int n = 40;
        final int payload = 1000;
        final String before = scrape();

        final MoqClient publisher = connect(Draft.DRAFT_18, SessionListener.NONE);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final AtomicInteger received18 = new AtomicInteger();
        final AtomicInteger received14 = new AtomicInteger();
        connect(Draft.DRAFT_18, SessionListener.NONE).subscribe(NS, TRACK, SubscribeOptions.LATEST, counting(received18))
            .get(5, TimeUnit.SECONDS);
        connect(Draft.DRAFT_14, SessionListener.NONE).subscribe(NS, TRACK, SubscribeOptions.LATEST, counting(received14))
            .get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        for (int g = 0; g < n / 10; g++)
        {
            final SubgroupWriter w = track.openSubgroup(g, 0);
            for (int o = 0; o < 10; o++)
            {
                w.write(o, Unpooled.wrappedBuffer(new byte[payload]));
            }
            w.close();
        }
        await(() -> received18.get() == n && received14.get() == n, "both subscribers received " + n + " objects");
        final String after = scrape();

        assertThat(delta(before, after, "moq_relay_sessions_opened_total", "draft=\"draft-18\"", "transport=\"quic\""))
            .as("draft-18 sessions opened").isEqualTo(2);
        assertThat(delta(before, after, "moq_relay_sessions_opened_total", "draft=\"draft-14\"", "transport=\"quic\""))
            .as("draft-14 sessions opened").isEqualTo(1);
        assertThat(value(after, "moq_relay_sessions", "draft=\"draft-18\"", "transport=\"quic\"")).isEqualTo(2);
        assertThat(value(after, "moq_relay_sessions", "draft=\"draft-14\"", "transport=\"quic\"")).isEqualTo(1);
        assertThat(delta(before, after, "moq_relay_objects_received_total")).as("objects in").isEqualTo(n);
        assertThat(delta(before, after, "moq_relay_payload_bytes_received_total")).isEqualTo((long)n * payload);
        assertThat(delta(before, after, "moq_relay_objects_sent_total")).as("objects out").isEqualTo(2L * n);
        assertThat(delta(before, after, "moq_relay_payload_bytes_sent_total")).isEqualTo(2L * n * payload);
        assertThat(delta(before, after, "moq_relay_requests_total", "type=\"publish_namespace\"", "outcome=\"ok\""))
            .isEqualTo(1);
        assertThat(delta(before, after, "moq_relay_requests_total", "type=\"subscribe\"", "outcome=\"ok\""))
            .isEqualTo(2);
        assertThat(value(after, "moq_relay_tracks")).isEqualTo(1);
        assertThat(value(after, "moq_relay_publishers")).isEqualTo(1);
        assertThat(value(after, "moq_relay_subscriptions")).isEqualTo(2);
        assertThat(value(after, "moq_relay_connections")).isEqualTo(3);
        assertThat(value(after, "moq_relay_ready")).isEqualTo(1);
        assertThat(value(after, "moq_relay_store_in_use_bytes")).isPositive();
        // Every loop (one per processor by default), those serving none of the run's sessions included.
        assertThat(after).contains("moq_relay_egress_ring_lag{loop=\"0\"}");
        assertThat(Pattern.compile("^moq_relay_egress_ring_lag\\{loop=\"\\d+\"\\} (\\S+)$", Pattern.MULTILINE)
            .matcher(after).results().map(r -> Double.parseDouble(r.group(1))).toList()).as("ring lag per loop")
            .isNotEmpty().allMatch(lag -> lag == 0);
        assertThat(value(after, "moq_relay_ring_occupied_slots")).isZero();
        assertThat(after).contains("jvm_memory_used_bytes").contains("jvm_gc_collection_seconds");

        // A datagram for a track alias the relay never gave is dropped on receipt, and counted.
        final UnsafeBuffer datagram = new UnsafeBuffer(new byte[64]);
        final int length = ObjectDatagramEncoder.write(Draft.DRAFT_18, datagram, 0, 4242, 0, 0, 10, false, null, 0,
            0, new UnsafeBuffer(new byte[] {9, 9}), 0, 2);
        publisher.sendRawDatagram(Unpooled.wrappedBuffer(datagram.byteArray(), 0, length));
        await(() -> delta(before, scrapeQuietly(), "moq_relay_datagrams_dropped_total", "direction=\"in\"") == 1,
            "the unknown-alias datagram counted as dropped");

        // A refused request is counted by its error.
        final CompletableFuture<?> missing = clients.get(1).subscribe(TrackNamespace.of("nobody"), TRACK,
            SubscribeOptions.LATEST, counting(new AtomicInteger()));
        await(missing::isDone, "the SUBSCRIBE for a missing track to be answered");
        await(() -> delta(before, scrapeQuietly(), "moq_relay_requests_total", "type=\"subscribe\"",
            "outcome=\"does_not_exist\"") == 1, "subscribe/does_not_exist counted");

        promtoolAccepts(after);

        // Session ends: gauges go down and each end is one INFO line with its counts.
        clients.get(2).close();
        await(() -> value(scrapeQuietly(), "moq_relay_sessions", "draft=\"draft-14\"", "transport=\"quic\"") == 0,
            "the draft-14 session to be counted closed");
        await(() -> sessionEnds.messages().stream().anyMatch(m -> m.contains("draft-14 quic ended after")),
            "the session-end line");
        assertThat(sessionEnds.messages()).anySatisfy(m -> assertThat(m)
            .matches("session \\d+ \\(d14 [^)]*\\) draft-14 quic ended after \\d+ms: 1 requests \\(0 refused\\), " +
                n + " objects sent \\(" + (long)n * payload + " bytes\\)"));
    }

    @Test
    void refusalsBeforeTheEngineAreCounted() throws Exception
    {
        // Authorization on, only open/ readable without a token: a SUBSCRIBE elsewhere is refused by the session.
        relay = MoqRelay.builder()
            .bindAddress("127.0.0.1")
            .port(0)
            .adminPort(0)
            .certificateDirectory(certDir)
            .set(RelayConfiguration.AUTH_ENABLED_PROP_NAME, "true")
            .set(RelayConfiguration.WARMUP_DURATION_PROP_NAME, "0s")
            .set(RelayConfiguration.AUTH_PUBLIC_GET_PROP_NAME, "open")
            .set(RelayConfiguration.WEBTRANSPORT_ALLOWED_ORIGINS_PROP_NAME, "https://good.example")
            .start();
        final String before = scrape();
        for (final Draft draft : List.of(Draft.DRAFT_18, Draft.DRAFT_14))
        {
            final MoqClient client = connect(draft, SessionListener.NONE);
            final CompletableFuture<?> refused = client.subscribe(NS, TRACK, SubscribeOptions.LATEST,
                counting(new AtomicInteger()));
            await(refused::isDone, draft + " SUBSCRIBE outside the anonymous prefix answered");
            assertThat(refused).isCompletedExceptionally();
        }
        // WebTransport CONNECTs refused: a path the relay does not serve (404), an origin it does not allow (403).
        try (WebTransportTestClient wt = new WebTransportTestClient(
            moq.relay.transport.TestServers.certificate(certDir).leaf(),
            new java.net.InetSocketAddress("127.0.0.1", relay.port())))
        {
            assertThat(wt.connect("/elsewhere", "https://good.example", null).status()).isEqualTo("404");
            assertThat(wt.connect("/moq", "https://evil.example", null).status()).isEqualTo("403");
        }
        final String after = scrapeQuietly();
        assertThat(delta(before, after, "moq_relay_requests_total", "type=\"subscribe\"",
            "outcome=\"unauthorized\"")).as("SUBSCRIBEs refused by authorization, both drafts").isEqualTo(2);
        assertThat(delta(before, after, "moq_relay_webtransport_refused_total", "reason=\"path\"")).isEqualTo(1);
        assertThat(delta(before, after, "moq_relay_webtransport_refused_total", "reason=\"origin\"")).isEqualTo(1);
        promtoolAccepts(after);
    }

    @Test
    void readyTurnsFalseDuringTheGoawayDrainWhileHealthStaysUp() throws Exception
    {
        start("10s");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        final CompletableFuture<String> goaway = new CompletableFuture<>();
        final MoqClient client = connect(Draft.DRAFT_18, new SessionListener()
        {
            @Override
            public void onGoaway(final String newSessionUri)
            {
                goaway.complete(newSessionUri);
            }
        });
        final CompletableFuture<Void> stopped = CompletableFuture.runAsync(relay::stop);
        goaway.get(5, TimeUnit.SECONDS);
        // The client has not left yet: the relay is draining.
        assertThat(stopped).isNotDone();
        final HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).as("/ready during the drain").isEqualTo(503);
        assertThat(get("/health").statusCode()).as("/health during the drain").isEqualTo(200);
        assertThat(value(scrape(), "moq_relay_ready")).isZero();
        client.close();
        stopped.get(10, TimeUnit.SECONDS);
    }

    @Test
    void onlyGetAndHeadOfTheThreePathsAreServed() throws Exception
    {
        start("1s");
        assertThat(get("/metricsx").statusCode()).isEqualTo(404);
        assertThat(get("/").statusCode()).isEqualTo(404);
        final URI uri = URI.create("http://127.0.0.1:" + relay.adminAddress().getPort() + "/metrics");
        assertThat(http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    private void promtoolAccepts(final String scrape) throws Exception
    {
        if (!Files.isExecutable(PROMTOOL))
        {
            if ("true".equals(System.getenv("CI")))
            {
                fail(PROMTOOL + " is missing under CI: .ci/run must install Debian's prometheus");
            }
            System.err.println("AdminEndpointTest: " + PROMTOOL + " is missing (apt-get install prometheus): " +
                "promtool check metrics skipped");
            return;
        }
        final Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true)
            .start();
        p.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics: %s", output).isZero();
        assertThat(output.trim()).as("promtool's findings").isEmpty();
    }

    private String scrapeQuietly()
    {
        try
        {
            return scrape();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static SubscriptionListener counting(final AtomicInteger count)
    {
        return new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                count.incrementAndGet();
            }
        };
    }

    /** The sample of {@code name} whose labels include all of {@code labels}; 0 when absent. */
    static double value(final String scrape, final String name, final String... labels)
    {
        final Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
        final Matcher m = line.matcher(scrape);
        while (m.find())
        {
            final String found = m.group(2) == null ? "" : m.group(2);
            boolean all = true;
            for (final String label : labels)
            {
                all &= found.contains(label);
            }
            if (all)
            {
                return Double.parseDouble(m.group(3));
            }
        }
        return 0;
    }

    static long delta(final String before, final String after, final String name, final String... labels)
    {
        return Math.round(value(after, name, labels) - value(before, name, labels));
    }

    static void await(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
