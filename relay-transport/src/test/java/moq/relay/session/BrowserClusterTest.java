package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.MoqRelay;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A headless Chromium subscriber on another relay of a cluster (docs/cluster.md): relays A, B and C in a chain of
 * static upstreams (C asks B, B asks A); a raw-QUIC publisher on A; {@code @moq/net} (draft 18) and {@code @moq/lite}
 * (draft 14) over WebTransport on C receive every object in order and byte-exact, through two relay-to-relay hops.
 * Pages are driven as in {@link BrowserMoqClientsTest}; skipped unless the browser tests run.
 */
class BrowserClusterTest
{
    private static final String TRACK = "data";

    @TempDir
    static Path certDir;

    private static final List<MoqRelay> relays = new ArrayList<>();
    private static ChromiumMoqClients browser;

    @BeforeAll
    static void start() throws Exception
    {
        ChromiumMoqClients.assumeAvailable();
        browser = new ChromiumMoqClients();
    }

    @AfterAll
    static void stop()
    {
        if (browser != null)
        {
            browser.close();
        }
        relays.forEach(MoqRelay::close);
    }

    /** A relay on an ephemeral port; {@code upstream}: its static upstream, or null. */
    private static MoqRelay relay(final MoqRelay upstream)
    {
        final MoqRelay.Builder b = MoqRelay.builder().bindAddress("127.0.0.1").port(0).certificateDirectory(certDir)
            .set(RelayConfiguration.EVENT_LOOPS_PROP_NAME, "1")
            .set(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m")
            .set(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k")
            .set(RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m")
            .set(RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k");
        if (upstream != null)
        {
            b.set(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, "moqt://127.0.0.1:" + upstream.port())
                .set(RelayConfiguration.CLUSTER_PEER_TRUST_PROP_NAME, "insecure");
        }
        final MoqRelay r = b.start();
        relays.add(r);
        return r;
    }

    private record Obj(long group, long object, String hex)
    {
    }

    private record Client(String page, int handle, String version)
    {
    }

    private static Client subscribe(final MoqRelay on, final String page, final String lib, final String ns)
        throws Exception
    {
        final String url = "https://127.0.0.1:" + on.port() + "/moq";
        // Every relay here loads the one self-signed certificate of certDir.
        final String hash = HexFormat.of().formatHex(moq.relay.transport.TestServers.certificate(certDir).sha256());
        final JsonNode r = browser.call(page, "subscribe", lib, url, hash, ns, TRACK);
        final Client c = new Client(page, r.get("handle").asInt(), r.get("version").asText());
        awaitStatus(c, s -> s.get("subscribeOks").asInt() >= 1 || !s.get("subscribeErrors").isEmpty(),
            "SUBSCRIBE_OK");
        assertThat(status(c).get("subscribeErrors")).as("subscribe errors").isEmpty();
        return c;
    }

    private static JsonNode status(final Client c) throws Exception
    {
        return browser.call(c.page, "status", c.handle);
    }

    private static void awaitStatus(final Client c, final java.util.function.Predicate<JsonNode> done,
        final String what) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode s = status(c);
        while (!done.test(s))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(c + ": no " + what + ": " + s + "\nbrowser log:\n" + browser.log());
            }
            Thread.sleep(20);
            s = status(c);
        }
    }

    private static List<Obj> received(final Client c) throws Exception
    {
        final List<Obj> out = new ArrayList<>();
        status(c).get("received").forEach(n -> out.add(new Obj(n.get("group").asLong(), n.get("object").asLong(),
            n.get("hex").asText())));
        return out;
    }

    @Test
    void browserSubscribersOnRelayCReceiveAPublisherOnRelayAThroughTwoHops() throws Exception
    {
        final MoqRelay a = relay(null);
        final MoqRelay b = relay(a);
        final MoqRelay c = relay(b);

        final String nsText = "cluster/browser";
        final TrackNamespace ns = TrackNamespace.of("cluster", "browser");
        final MoqClient publisher = MoqClient.connect(ClientConfig.of("127.0.0.1", a.port(), Draft.DRAFT_18,
            ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
        try
        {
            publisher.publishNamespace(ns).get(10, TimeUnit.SECONDS);
            final TrackPublisher track = publisher.track(ns, Bytes.utf8(TRACK), 100);
            final Client net = subscribe(c, "c-net", "net", nsText);
            final Client lite = subscribe(c, "c-lite", "lite", nsText);
            track.firstSubscriber().get(10, TimeUnit.SECONDS);
            final List<Obj> sent = new ArrayList<>();
            final java.util.Random random = new java.util.Random(14);
            for (int g = 0; g < 3; g++)
            {
                final SubgroupWriter subgroup = track.openSubgroup(g, 0);
                for (int o = 0; o < 4; o++)
                {
                    final byte[] payload = new byte[1 + random.nextInt(2000)];
                    random.nextBytes(payload);
                    subgroup.write(o, Unpooled.wrappedBuffer(payload));
                    sent.add(new Obj(g, o, HexFormat.of().formatHex(payload)));
                }
                subgroup.close();
                final int n = sent.size();
                awaitStatus(net, s -> s.get("received").size() >= n, n + " objects at @moq/net");
                awaitStatus(lite, s -> s.get("received").size() >= n, n + " objects at @moq/lite");
            }
            assertThat(received(net)).as("@moq/net on C: in order and byte-exact").containsExactlyElementsOf(sent);
            assertThat(received(lite)).as("@moq/lite on C: in order and byte-exact").containsExactlyElementsOf(sent);
            for (final Client cl : List.of(net, lite))
            {
                browser.call(cl.page, "close", cl.handle);
                browser.closePage(cl.page);
            }
        }
        finally
        {
            publisher.close();
        }
    }
}
