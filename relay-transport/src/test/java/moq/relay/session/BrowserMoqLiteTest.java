package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
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
 * moq-lite with an independent client: {@code @moq/net} 0.3.4 in headless Chromium, with its default WebTransport
 * offer ({@code moq-lite-05}, {@code -04}, {@code -03}, then {@code moqt-*}), negotiates {@code moq-lite-05} with the
 * relay (its default {@code moq.relay.webtransport.protocols} prefers moq-lite, 05 first): SETUP both ways, TRACK /
 * TRACK_INFO before every subscription, timestamped frames, and the RTT the relay reports reaching the page. Publish to subscribe through the
 * relay, a late joiner, a moq-lite publisher to draft-18 and draft-14 raw-QUIC subscribers and back (a draft-14
 * publisher to moq-lite, {@code @moq/net} at moqt-18 and {@code @moq/lite} at draft 14), and the relay's setup log
 * naming the protocol. Pages are driven as in {@link BrowserMoqClientsTest}.
 */
class BrowserMoqLiteTest
{
    private static final String TRACK = "data";
    private static final String LITE = "netlite";
    private static final String VERSION = "moq-lite-05";
    private static final String SETUP = "moq-lite-05 over WebTransport";

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

    private record Client(String page, int handle, String version)
    {
    }

    private record Obj(long group, long object, String hex)
    {
    }

    private static Client publish(final String page, final String lib, final String ns) throws Exception
    {
        final JsonNode r = browser.call(page, "publish", lib, url, certificateHash, ns);
        return new Client(page, r.get("handle").asInt(), r.get("version").asText());
    }

    private static Client subscribe(final String page, final String lib, final String ns) throws Exception
    {
        final JsonNode r = browser.call(page, "subscribe", lib, url, certificateHash, ns, TRACK);
        final Client c = new Client(page, r.get("handle").asInt(), r.get("version").asText());
        await(c, s -> s.get("subscribeOks").asInt() >= 1 || !s.get("subscribeErrors").isEmpty(), "SUBSCRIBE_OK");
        assertThat(status(c).get("subscribeErrors")).as("subscribe errors").isEmpty();
        return c;
    }

    private static JsonNode status(final Client c) throws Exception
    {
        return browser.call(c.page, "status", c.handle);
    }

    private static void await(final Client c, final java.util.function.Predicate<JsonNode> done, final String what)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
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

    private static void awaitReceived(final Client c, final int count) throws Exception
    {
        await(c, s -> s.get("received").size() >= count, count + " objects");
    }

    private static List<Obj> received(final Client c) throws Exception
    {
        final List<Obj> out = new ArrayList<>();
        status(c).get("received").forEach(n -> out.add(new Obj(n.get("group").asLong(), n.get("object").asLong(),
            n.get("hex").asText())));
        return out;
    }

    private static void writeGroup(final Client publisher, final List<Obj> group) throws Exception
    {
        browser.call(publisher.page, "writeGroup", publisher.handle, TRACK,
            group.stream().map(Obj::hex).collect(Collectors.toList()));
    }

    private static void leave(final Client c) throws Exception
    {
        browser.call(c.page, "close", c.handle);
        browser.closePage(c.page);
    }

    private static void awaitPublished(final String ns) throws InterruptedException
    {
        RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of(ns.split("/"))), "namespace " + ns);
    }

    private static void awaitRequested(final Client publisher) throws Exception
    {
        await(publisher, s -> s.get("requests").asInt() >= 1, "SUBSCRIBE from the relay");
    }

    /** Group {@code g}: {@code n} binary payloads of varied sizes, one spanning packets. */
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

    private static final class RawSubscriber implements SubscriptionListener
    {
        final List<Obj> objects = new CopyOnWriteArrayList<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() == 0)
            {
                objects.add(new Obj(o.groupId(), o.objectId(), HexFormat.of().formatHex(o.payloadBytes())));
            }
        }
    }

    @Test
    void moqLitePublisherToMoqLiteSubscribersIncludingALateJoiner() throws Exception
    {
        final String ns = "lite/call";
        final Client publisher = publish("l-pub", LITE, ns);
        awaitPublished(ns);
        final Client subscriber = subscribe("l-sub", LITE, ns);
        awaitRequested(publisher);
        final List<Obj> group0 = group(0, 4);
        writeGroup(publisher, group0);
        awaitReceived(subscriber, group0.size());

        // Joins a live track: Start Group 0 = the current group from its first object (the group boundary).
        final Client late = subscribe("l-late", LITE, ns);
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
        assertThat(received(late)).as("the late joiner, from the current group on").containsExactlyElementsOf(
            lateExpected);
        assertThat(List.of(publisher.version, subscriber.version, late.version)).containsOnly(VERSION);
        assertThat(setupLines(SETUP)).as("the relay's setup lines name the protocol").isEqualTo(3);
        // The relay's SETUP advertises Probe = Report, so @moq/net opens its Probe Stream and reads the RTT from the
        // relay's PROBEs (lite-05; before it the library never opened one).
        for (final Client c : List.of(subscriber, late))
        {
            await(c, s -> s.get("rtt").isNumber() && s.get("rtt").asDouble() > 0, "an RTT from the relay's PROBE");
        }
        for (final Client c : List.of(subscriber, late))
        {
            assertThat(status(c).get("errors")).isEmpty();
        }
        for (final Client c : List.of(publisher, subscriber, late))
        {
            leave(c);
        }
    }

    @Test
    void moqLitePublisherToDraft18AndDraft14SubscribersAndADraft14PublisherToMoqLiteAndMoqtBrowsers()
        throws Exception
    {
        // @moq/net at moq-lite-05 -> relay -> MoqClient draft 18 and draft 14 over raw QUIC.
        final String up = "lite/to-moqt";
        final Client publisher = publish("b-pub", LITE, up);
        awaitPublished(up);
        final MoqClient d18 = relay.connect(Draft.DRAFT_18);
        final MoqClient d14 = relay.connect(Draft.DRAFT_14);
        final RawSubscriber raw18 = new RawSubscriber();
        final RawSubscriber raw14 = new RawSubscriber();
        final TrackNamespace upNs = TrackNamespace.of("lite", "to-moqt");
        d18.subscribe(upNs, Bytes.utf8(TRACK), SubscribeOptions.LATEST, raw18).get(10, TimeUnit.SECONDS);
        d14.subscribe(upNs, Bytes.utf8(TRACK), SubscribeOptions.LATEST, raw14).get(10, TimeUnit.SECONDS);
        awaitRequested(publisher);
        final List<Obj> expected = new ArrayList<>();
        for (int g = 0; g < 3; g++)
        {
            final List<Obj> group = group(g, 4);
            writeGroup(publisher, group);
            expected.addAll(group);
            final int n = expected.size();
            RelayFixture.await(() -> raw18.objects.size() >= n && raw14.objects.size() >= n,
                () -> "raw-QUIC subscribers: " + raw18.objects.size() + ", " + raw14.objects.size() + " of " + n);
        }
        assertThat(raw18.objects).as("draft 18: frames as objects, byte for byte").containsExactlyElementsOf(expected);
        assertThat(raw14.objects).as("draft 14: frames as objects, byte for byte").containsExactlyElementsOf(expected);
        assertThat(publisher.version).isEqualTo(VERSION);

        // MoqClient draft 14 over raw QUIC -> relay -> @moq/net at moq-lite-05, @moq/net at moqt-18, @moq/lite at
        // draft 14.
        final String down = "moqt/to-lite";
        final MoqClient quicPublisher = relay.connect(Draft.DRAFT_14);
        final TrackNamespace ns = TrackNamespace.of("moqt", "to-lite");
        quicPublisher.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = quicPublisher.track(ns, Bytes.utf8(TRACK), 100);
        final Client lite = subscribe("b-lite", LITE, down);
        final Client net = subscribe("b-net", "net", down);
        final Client old = subscribe("b-old", "lite", down);
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
            for (final Client c : List.of(lite, net, old))
            {
                awaitReceived(c, sent.size());
            }
        }
        assertThat(received(lite)).as("moq-lite: in order and byte-exact").containsExactlyElementsOf(sent);
        assertThat(received(net)).as("@moq/net moqt-18").containsExactlyElementsOf(sent);
        assertThat(received(old)).as("@moq/lite draft 14").containsExactlyElementsOf(sent);
        assertThat(lite.version).isEqualTo(VERSION);
        assertThat(net.version).isEqualTo("moq-transport-18");
        assertThat(old.version).isEqualTo("moq-transport-14");
        assertThat(setupLines(SETUP)).as("the two moq-lite sessions").isEqualTo(2);
        d18.close();
        d14.close();
        quicPublisher.close();
        for (final Client c : List.of(publisher, lite, net, old))
        {
            leave(c);
        }
    }
}
