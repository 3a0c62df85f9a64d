package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import moq.relay.cli.Main;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.transport.LogCapture;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance with independent MoQT clients: moq-dev's npm clients, running in headless Chromium over WebTransport,
 * publish and subscribe through the real relay (engine, MoQT sessions and the QUIC/HTTP/3 server wired as
 * {@code serve} wires them). @moq/lite 0.2.2 gets no wt-protocol and negotiates draft-14 (0xff00000e) in CLIENT_SETUP;
 * @moq/net 0.3.4 asks for wt-protocol moqt-18 and speaks draft-18. Raw-QUIC peers are this project's
 * {@link MoqClient} (not independent evidence on its own; here it checks the relay's cross-transport forwarding).
 * Every test checks order and bytes, and the versions on both the page and the relay side.
 *
 * <p>One Chromium runs for the whole class (see {@link ChromiumMoqClients}); one relay too, each test on its own
 * namespace.
 */
class BrowserMoqClientsTest
{
    private static final String TRACK = "data";
    private static final String LITE_VERSION = "moq-transport-14";
    private static final String NET_VERSION = "moq-transport-18";
    private static final String LITE_SETUP = "CLIENT_SETUP done, draft-14 (version 0xff00000e), implementation " +
        "'moq-lite-js'";
    private static final String NET_SETUP = "SETUP done, draft-18, implementation 'moq-lite-js'";

    @TempDir
    static Path certDir;

    private static RelayFixture relay;
    private static ChromiumMoqClients browser;
    private static String url;
    private static String certificateHash;

    @RegisterExtension
    final LogCapture sessionLog = new LogCapture("moq.relay.session");

    @BeforeAll
    static void start() throws Exception
    {
        ChromiumMoqClients.assumeAvailable();
        relay = new RelayFixture(certDir);
        url = "https://127.0.0.1:" + relay.server.localAddress().getPort() + "/moq";
        certificateHash = HexFormat.of().formatHex(TestServers.certificate(certDir).sha256());
        browser = new ChromiumMoqClients();
    }

    @AfterAll
    static void stop()
    {
        if (browser != null)
        {
            browser.close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    // ---- the pages' API (moq-clients-page.js)

    /** One client connection in a page. */
    private record Client(String page, int handle, String version)
    {
    }

    /** One object as a page or a raw client saw it: group, object id within the group, payload in hex. */
    private record Obj(long group, long object, String hex)
    {
        static Obj of(final JsonNode n)
        {
            return new Obj(n.get("group").asLong(), n.get("object").asLong(), n.get("hex").asText());
        }
    }

    private static Client publish(final String page, final String lib, final String ns) throws Exception
    {
        final JsonNode r = browser.call(page, "publish", lib, url, certificateHash, ns);
        return new Client(page, r.get("handle").asInt(), r.get("version").asText());
    }

    /** Subscribes and waits for the relay's SUBSCRIBE_OK (as the library logs it: no API reports it). */
    private static Client subscribe(final String page, final String lib, final String ns) throws Exception
    {
        final JsonNode r = browser.call(page, "subscribe", lib, url, certificateHash, ns, TRACK);
        final Client c = new Client(page, r.get("handle").asInt(), r.get("version").asText());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode s = status(c);
        while (s.get("subscribeOks").asInt() < 1)
        {
            if (!s.get("subscribeErrors").isEmpty() || System.nanoTime() > deadline)
            {
                throw new AssertionError(c + " got no SUBSCRIBE_OK: " + s + "\nbrowser log:\n" + browser.log());
            }
            Thread.sleep(20);
            s = status(c);
        }
        return c;
    }

    /**
     * The client leaves: its page closes the connection (WebTransport close), then the page goes. (Closing the tab
     * alone does not reliably end the WebTransport session promptly: Chromium may keep it until the page is
     * collected.)
     */
    private static void leave(final Client c) throws Exception
    {
        browser.call(c.page, "close", c.handle);
        browser.closePage(c.page);
    }

    private static JsonNode status(final Client c) throws Exception
    {
        return browser.call(c.page, "status", c.handle);
    }

    private static List<Obj> received(final Client c) throws Exception
    {
        final List<Obj> out = new ArrayList<>();
        status(c).get("received").forEach(n -> out.add(Obj.of(n)));
        return out;
    }

    private static void writeGroup(final Client publisher, final List<Obj> group) throws Exception
    {
        browser.call(publisher.page, "writeGroup", publisher.handle, TRACK,
            group.stream().map(Obj::hex).collect(Collectors.toList()));
    }

    private static void awaitReceived(final Client c, final int count) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode s = status(c);
        while (s.get("received").size() < count)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(c + " received " + s.get("received").size() + " of " + count +
                    " objects: " + s + "\nbrowser log:\n" + browser.log());
            }
            Thread.sleep(20);
            s = status(c);
        }
    }

    private static void awaitEnded(final Client c) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode s = status(c);
        while (!s.get("ended").asBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(c + " did not see the track end: " + s + "\nbrowser log:\n" + browser.log());
            }
            Thread.sleep(20);
            s = status(c);
        }
        assertThat(s.get("endError")).as("a clean end (PUBLISH_DONE), not an error").isNull();
    }

    /** The browser publishers give no signal once the relay accepted their namespace: poll the relay. */
    private static void awaitPublished(final String ns) throws InterruptedException
    {
        RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of(ns.split("/"))), "namespace " + ns);
    }

    /** The relay's upstream SUBSCRIBE reached the browser publisher. */
    private static void awaitRequested(final Client publisher) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (status(publisher).get("requests").asInt() < 1)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("no SUBSCRIBE reached " + publisher + "\nbrowser log:\n" + browser.log());
            }
            Thread.sleep(20);
        }
    }

    /** Group {@code g} of the script: {@code n} objects, binary payloads of varied sizes, one spanning packets. */
    /**
     * Whether {@code bytes} is exactly the concatenation of every object's payload, each group's objects in their
     * order, groups possibly interleaved (the payloads are random, so a wrong match is negligible).
     */
    private static boolean interleavesInGroupOrder(final byte[] bytes, final List<List<Obj>> groups)
    {
        final int[] next = new int[groups.size()];
        int at = 0;
        outer:
        while (at < bytes.length)
        {
            for (int g = 0; g < groups.size(); g++)
            {
                if (next[g] < groups.get(g).size())
                {
                    final byte[] payload = HexFormat.of().parseHex(groups.get(g).get(next[g]).hex);
                    if (java.util.Arrays.equals(bytes, at, Math.min(bytes.length, at + payload.length), payload, 0,
                        payload.length))
                    {
                        at += payload.length;
                        next[g]++;
                        continue outer;
                    }
                }
            }
            return false;
        }
        for (int g = 0; g < groups.size(); g++)
        {
            if (next[g] != groups.get(g).size())
            {
                return false;
            }
        }
        return true;
    }

    private static List<Obj> group(final long g, final int n)
    {
        final Random random = new Random(g * 7919 + n);
        final List<Obj> objects = new ArrayList<>();
        for (int o = 0; o < n; o++)
        {
            final byte[] payload = new byte[o == 1 ? 3000 : 1 + random.nextInt(200)];
            random.nextBytes(payload);
            payload[0] = (byte)g;
            objects.add(new Obj(g, o, HexFormat.of().formatHex(payload)));
        }
        return objects;
    }

    private long setupLines(final String line)
    {
        return sessionLog.messages().stream().filter(m -> m.contains(line)).count();
    }

    /** Records what a raw-QUIC subscriber receives. */
    private static final class RawSubscriber implements SubscriptionListener
    {
        final List<Obj> objects = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() == 0)
            {
                objects.add(new Obj(o.groupId(), o.objectId(), HexFormat.of().formatHex(o.payloadBytes())));
            }
        }

        @Override
        public void onPublishDone(final long statusCode, final long streamCount, final String reason)
        {
            done.complete(statusCode);
        }
    }

    private static RawSubscriber rawSubscribe(final MoqClient client, final String ns) throws Exception
    {
        final RawSubscriber raw = new RawSubscriber();
        client.subscribe(TrackNamespace.of(ns.split("/")), Bytes.utf8(TRACK), SubscribeOptions.LATEST, raw)
            .get(10, TimeUnit.SECONDS);
        return raw;
    }

    // ---- the tests

    /** Browser publisher to browser subscribers through the relay, groups written one after the other arrived. */
    private void browserToBrowser(final String lib, final String ns, final String version, final String setupLine)
        throws Exception
    {
        final Client publisher = publish(lib + "-pub", lib, ns);
        awaitPublished(ns);
        final Client subscriber = subscribe(lib + "-sub", lib, ns);
        awaitRequested(publisher);
        final List<Obj> expected = new ArrayList<>();
        for (int g = 0; g < 3; g++)
        {
            final List<Obj> group = group(g, 4);
            writeGroup(publisher, group);
            expected.addAll(group);
            awaitReceived(subscriber, expected.size());
        }
        assertThat(received(subscriber)).as("in order and byte-exact").containsExactlyElementsOf(expected);
        assertThat(publisher.version).isEqualTo(version);
        assertThat(subscriber.version).isEqualTo(version);
        assertThat(setupLines(setupLine)).as("the relay ran both sessions in that draft").isEqualTo(2);
        assertThat(status(subscriber).get("errors")).isEmpty();
        leave(publisher);
        leave(subscriber);
    }

    @Test
    void moqLiteDraft14PublisherToMoqLiteSubscriber() throws Exception
    {
        browserToBrowser("lite", "browser/lite", LITE_VERSION, LITE_SETUP);
        // Sessions set up during this test (earlier tests' sessions may still log their close).
        assertThat(setupLines("SETUP done, draft-18")).isZero();
    }

    @Test
    void moqNetDraft18PublisherToMoqNetSubscriberIncludingOneThatJoinsALiveTrack() throws Exception
    {
        final String ns = "browser/net";
        final Client publisher = publish("net-pub", "net", ns);
        awaitPublished(ns);
        final Client subscriber = subscribe("net-sub", "net", ns);
        awaitRequested(publisher);
        final List<Obj> group0 = group(0, 4);
        writeGroup(publisher, group0);
        awaitReceived(subscriber, group0.size());

        // Joins a track with content: its SUBSCRIBE_OK carries LARGEST_OBJECT (the @moq/net quirk), and its Largest
        // Object subscription starts at object 0 of the current group (the replay quirk), FIRST_OBJECT set.
        final Client late = subscribe("net-late", "net", ns);
        final List<Obj> expected = new ArrayList<>(group0);
        final List<Obj> lateExpected = new ArrayList<>(group0);
        for (int g = 1; g < 3; g++)
        {
            final List<Obj> group = group(g, 4);
            writeGroup(publisher, group);
            expected.addAll(group);
            lateExpected.addAll(group);
            awaitReceived(subscriber, expected.size());
            awaitReceived(late, lateExpected.size());
        }
        assertThat(received(subscriber)).as("in order and byte-exact").containsExactlyElementsOf(expected);
        assertThat(received(late)).as("the late subscriber, from the current group on").containsExactlyElementsOf(
            lateExpected);
        assertThat(List.of(publisher.version, subscriber.version, late.version)).containsOnly(NET_VERSION);
        assertThat(setupLines(NET_SETUP)).as("the relay ran the three sessions in draft-18").isEqualTo(3);
        // Only set-ups count: an earlier test's draft-14 session may still log its close during this one.
        assertThat(setupLines("SETUP done, draft-14")).isZero();
        for (final Client c : List.of(subscriber, late))
        {
            assertThat(status(c).get("errors")).isEmpty();
            assertThat(status(c).get("endError")).isNull();
        }
        for (final Client c : List.of(publisher, subscriber, late))
        {
            leave(c);
        }
    }

    @Test
    void browserPublisherToRawQuicSubscriberAndRawQuicPublisherToBrowserSubscribers() throws Exception
    {
        // @moq/lite (draft-14 over WebTransport) -> relay -> MoqClient (draft-18 over raw QUIC).
        final String up = "browser/to-quic";
        final Client publisher = publish("x-pub", "lite", up);
        awaitPublished(up);
        final MoqClient quicSubscriber = relay.connect(Draft.DRAFT_18);
        final RawSubscriber raw = rawSubscribe(quicSubscriber, up);
        awaitRequested(publisher);
        final List<Obj> expected = new ArrayList<>();
        for (int g = 0; g < 3; g++)
        {
            final List<Obj> group = group(g, 4);
            writeGroup(publisher, group);
            expected.addAll(group);
            final int n = expected.size();
            RelayFixture.await(() -> raw.objects.size() >= n, () -> "raw-QUIC subscriber: " + raw.objects.size() +
                " of " + n + " objects");
        }
        assertThat(raw.objects).as("in order and byte-exact").containsExactlyElementsOf(expected);
        assertThat(publisher.version).isEqualTo(LITE_VERSION);
        assertThat(quicSubscriber.draft()).isEqualTo(Draft.DRAFT_18);
        assertThat(quicSubscriber.alpn()).isEqualTo("moqt-18");

        // MoqClient (draft-14 over raw QUIC) -> relay -> @moq/net (draft-18) and @moq/lite (draft-14) in the browser.
        final String down = "quic/to-browser";
        final MoqClient quicPublisher = relay.connect(Draft.DRAFT_14);
        final TrackNamespace ns = TrackNamespace.of("quic", "to-browser");
        quicPublisher.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = quicPublisher.track(ns, Bytes.utf8(TRACK), 100);
        final Client net = subscribe("x-net", "net", down);
        final Client lite = subscribe("x-lite", "lite", down);
        track.firstSubscriber().get(10, TimeUnit.SECONDS);
        final List<Obj> sent = new ArrayList<>();
        for (int g = 0; g < 3; g++)
        {
            final SubgroupWriter subgroup = track.openSubgroup(g, 0);
            for (final Obj o : group(g, 4))
            {
                subgroup.write(o.object, Unpooled.wrappedBuffer(HexFormat.of().parseHex(o.hex)));
                sent.add(o);
            }
            subgroup.close();
            awaitReceived(net, sent.size());
            awaitReceived(lite, sent.size());
        }
        assertThat(received(net)).as("@moq/net: in order and byte-exact").containsExactlyElementsOf(sent);
        assertThat(received(lite)).as("@moq/lite: in order and byte-exact").containsExactlyElementsOf(sent);
        assertThat(net.version).isEqualTo(NET_VERSION);
        assertThat(lite.version).isEqualTo(LITE_VERSION);
        assertThat(quicPublisher.draft()).isEqualTo(Draft.DRAFT_14);
        assertThat(setupLines(LITE_SETUP)).as("the two @moq/lite sessions").isEqualTo(2);
        assertThat(setupLines(NET_SETUP)).as("the @moq/net session").isEqualTo(1);
        quicSubscriber.close();
        quicPublisher.close();
        for (final Client c : List.of(publisher, net, lite))
        {
            leave(c);
        }
    }

    /**
     * The relay's own command-line tools, as a user runs them: {@code subscribe --output FILE} receiving from a
     * browser publisher (@moq/lite), and {@code publish --stdin} feeding a browser subscriber (@moq/net).
     */
    @Test
    void theSubscribeAndPublishToolsExchangeObjectsWithBrowserClients() throws Exception
    {
        final String port = String.valueOf(relay.server.localAddress().getPort());
        final String up = "tools/from-browser";
        final Client publisher = publish("t-pub", "lite", up);
        awaitPublished(up);
        final Path out = certDir.resolve("subscribed.bin");
        final CompletableFuture<Integer> subscribeTool = CompletableFuture.supplyAsync(() -> Main.run("subscribe",
            "--host", "127.0.0.1", "--port", port, "--draft", "18", "--insecure", "--namespace", up, "--track", TRACK,
            "--output", out.toString(), "--count", "12", "--duration", "30", "--quiet"));
        awaitRequested(publisher);
        final List<List<Obj>> groups = new ArrayList<>();
        for (int g = 0; g < 3; g++)
        {
            final List<Obj> group = group(g + 10, 4);
            writeGroup(publisher, group);
            groups.add(group);
        }
        assertThat(subscribeTool.get(30, TimeUnit.SECONDS)).as("subscribe exits 0 after 12 objects").isZero();
        // Each group is its own stream, so the tool may write groups interleaved; within a group the order must hold.
        assertThat(interleavesInGroupOrder(java.nio.file.Files.readAllBytes(out), groups))
            .as("payloads byte-exact, every group in order").isTrue();
        leave(publisher);

        final String down = "tools/to-browser";
        final byte[] input = new byte[1000];
        new Random(42).nextBytes(input);
        final java.io.InputStream savedIn = System.in;
        System.setIn(new java.io.ByteArrayInputStream(input));
        try
        {
            final CompletableFuture<Integer> publishTool = CompletableFuture.supplyAsync(() -> Main.run("publish",
                "--host", "127.0.0.1", "--port", port, "--draft", "14", "--insecure", "--namespace", down, "--track",
                TRACK, "--stdin", "--object-size", "100", "--group-length", "5", "--rate", "0", "--wait-subscriber",
                "20", "--linger", "1"));
            awaitPublished(down);
            final Client net = subscribe("t-net", "net", down);
            awaitReceived(net, 10);
            assertThat(publishTool.get(30, TimeUnit.SECONDS)).as("publish exits 0 at the end of stdin").isZero();
            // Each group is its own stream, so groups may interleave on arrival; within a group the order must hold.
            final List<Obj> got = received(net).stream().sorted(java.util.Comparator.comparingLong(Obj::group))
                .collect(Collectors.toList());
            final List<Obj> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                sent.add(new Obj(i / 5, i % 5, HexFormat.of().formatHex(input, i * 100, i * 100 + 100)));
            }
            assertThat(got).as("stdin cut into 100-byte objects, groups of 5, each group in order")
                .containsExactlyElementsOf(sent);
            assertThat(net.version).isEqualTo(NET_VERSION);
            leave(net);
        }
        finally
        {
            System.setIn(savedIn);
        }
    }

    @Test
    void aSubscriberLeavesTheOthersKeepReceivingAndThePublisherLeavingEndsTheTrackEverywhere() throws Exception
    {
        final String ns = "browser/fanout";
        final Client publisher = publish("f-pub", "lite", ns);
        awaitPublished(ns);
        final Client a = subscribe("f-a", "lite", ns);
        final Client b = subscribe("f-b", "lite", ns);
        final MoqClient quic = relay.connect(Draft.DRAFT_18);
        final RawSubscriber raw = rawSubscribe(quic, ns);
        awaitRequested(publisher);
        final List<Obj> group0 = group(0, 4);
        writeGroup(publisher, group0);
        awaitReceived(a, 4);
        awaitReceived(b, 4);
        RelayFixture.await(() -> raw.objects.size() >= 4, "group 0 at the raw-QUIC subscriber");

        leave(a);
        final List<Obj> group1 = group(1, 4);
        writeGroup(publisher, group1);
        awaitReceived(b, 8);
        RelayFixture.await(() -> raw.objects.size() >= 8, "group 1 at the raw-QUIC subscriber");
        final List<Obj> both = new ArrayList<>(group0);
        both.addAll(group1);
        assertThat(received(b)).as("B keeps receiving after A left").containsExactlyElementsOf(both);
        assertThat(raw.objects).as("the raw-QUIC subscriber keeps receiving").containsExactlyElementsOf(both);

        leave(publisher);
        awaitEnded(b);
        assertThat(raw.done.get(10, TimeUnit.SECONDS)).as("PUBLISH_DONE at the raw-QUIC subscriber")
            .isIn(PublishDoneStatus.TRACK_ENDED.code(), PublishDoneStatus.GOING_AWAY.code());
        assertThat(received(b)).containsExactlyElementsOf(both);
        assertThat(List.of(publisher.version, a.version, b.version)).containsOnly(LITE_VERSION);
        assertThat(setupLines(LITE_SETUP)).as("the three @moq/lite sessions").isEqualTo(3);
        quic.close();
        leave(b);
    }
}
