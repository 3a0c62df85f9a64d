package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import moq.relay.client.FetchListener;
import moq.relay.client.FetchResult;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.transport.LogCapture;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.LocationFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draft 20 with an independent client: {@code @moq/net} 0.3.4 in headless Chromium asks for {@code wt-protocol
 * moqt-20} and speaks draft-20 (version 0xff000014) through the real relay. Publish to subscribe, a late joiner
 * (its SUBSCRIBE's Location Filter is StartGroup 1, the current group, served from the relay's cache), across drafts
 * with {@code @moq/lite} 0.2.2 at draft 14 both ways, and a publisher whose track already has content: its
 * SUBSCRIBE_OK carries LARGEST_OBJECT in {@code @moq/net}'s length-prefixed form (PeerQuirks, docs/architecture.md
 * "Interop quirks"), after which draft-20 FETCHes of past groups, and of a range reaching past the live edge, and a
 * SUBSCRIBE with a fill (FILL_PARAMETERS) are served from the relay's cache. Neither browser
 * client sends FETCH or asks for a fill ({@code @moq/net}'s subscriber requests none, and rejects {@code fetchGroup}
 * on moq-transport), so the FETCH and the fill are this project's {@link MoqClient} at draft 20 over raw QUIC.
 *
 * <p>Pages are driven as in {@link BrowserMoqClientsTest}; one Chromium and one relay for the class, each test on
 * its own namespace. Every test checks order and bytes, and the versions on both the page and the relay side.
 */
class BrowserMoqNetDraft20Test
{
    private static final String TRACK = "data";
    private static final String NET20 = "net20";
    private static final String VERSION = "moq-transport-20";
    private static final String SETUP = "SETUP done, draft-20, implementation 'moq-lite-js'";
    private static final String LITE_VERSION = "moq-transport-14";
    private static final String LITE_SETUP = "CLIENT_SETUP done, draft-14 (version 0xff00000e), implementation " +
        "'moq-lite-js'";

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

    private record Client(String page, int handle, String version)
    {
    }

    /** One object: group, object id within the group, payload in hex. */
    private record Obj(long group, long object, String hex)
    {
    }

    private static Client publish(final String page, final String lib, final String ns) throws Exception
    {
        final JsonNode r = browser.call(page, "publish", lib, url, certificateHash, ns);
        return new Client(page, r.get("handle").asInt(), r.get("version").asText());
    }

    /** @moq/net with {@link #TRACK} created before anyone subscribes (every SUBSCRIBE served from that track). */
    private static Client publishStatic(final String page, final String ns) throws Exception
    {
        final JsonNode r = browser.call(page, "publishStatic", NET20, url, certificateHash, ns, TRACK);
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

    private static void await(final Client c, final Predicate<JsonNode> done, final String what) throws Exception
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

    /** The publisher answered the relay's upstream SUBSCRIBE (@moq/net logs each SUBSCRIBE_OK it writes). */
    private static void awaitAnswered(final Client publisher) throws Exception
    {
        await(publisher, s -> s.get("publishOks").asInt() >= 1, "SUBSCRIBE_OK written to the relay");
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

    private static void assertNoErrors(final Client... clients) throws Exception
    {
        for (final Client c : clients)
        {
            final JsonNode s = status(c);
            assertThat(s.get("errors")).as(c + " errors").isEmpty();
            assertThat(s.get("endError")).as(c + " end error").isNull();
        }
    }

    // ---- the tests

    @Test
    void moqNetDraft20PublisherToMoqNetDraft20SubscribersIncludingALateJoinerFromTheCurrentGroup() throws Exception
    {
        final String ns = "d20/call";
        final Client publisher = publish("n-pub", NET20, ns);
        awaitPublished(ns);
        final Client subscriber = subscribe("n-sub", NET20, ns);
        awaitAnswered(publisher);
        final List<Obj> group0 = group(0, 4);
        writeGroup(publisher, group0);
        awaitReceived(subscriber, group0.size());

        // Joins a live track: @moq/net's SUBSCRIBE at draft 20 has Location Filter StartGroup 1 (the current group),
        // which the relay serves from the first cached object of the largest group; its SUBSCRIBE_OK carries
        // LARGEST_OBJECT, in the length-prefixed form that peer reads.
        final Client late = subscribe("n-late", NET20, ns);
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
        assertThat(setupLines(SETUP)).as("the relay ran the three sessions in draft-20").isEqualTo(3);
        assertThat(setupLines("SETUP done, draft-18")).isZero();
        assertNoErrors(subscriber, late);
        for (final Client c : List.of(publisher, subscriber, late))
        {
            leave(c);
        }
    }

    @Test
    void moqNetDraft20ToMoqLiteDraft14AndBack() throws Exception
    {
        // @moq/net draft 20 -> relay -> @moq/lite draft 14 and @moq/net draft 20.
        final String up = "d20/to-d14";
        final Client publisher = publish("x-pub", NET20, up);
        awaitPublished(up);
        final Client lite = subscribe("x-lite", "lite", up);
        final Client net = subscribe("x-net", NET20, up);
        awaitAnswered(publisher);
        final List<Obj> expected = new ArrayList<>();
        for (int g = 0; g < 3; g++)
        {
            final List<Obj> group = group(g, 4);
            writeGroup(publisher, group);
            expected.addAll(group);
            awaitReceived(lite, expected.size());
            awaitReceived(net, expected.size());
        }
        assertThat(received(lite)).as("@moq/lite at draft 14: in order, byte-exact").containsExactlyElementsOf(
            expected);
        assertThat(received(net)).as("@moq/net at draft 20").containsExactlyElementsOf(expected);
        assertThat(publisher.version).isEqualTo(VERSION);
        assertThat(lite.version).isEqualTo(LITE_VERSION);
        assertNoErrors(lite, net);

        // @moq/lite draft 14 -> relay -> @moq/net draft 20.
        final String down = "d14/to-d20";
        final Client litePublisher = publish("y-pub", "lite", down);
        awaitPublished(down);
        final Client net20 = subscribe("y-net", NET20, down);
        await(litePublisher, s -> s.get("requests").asInt() >= 1, "SUBSCRIBE from the relay");
        final List<Obj> sent = new ArrayList<>();
        for (int g = 0; g < 3; g++)
        {
            final List<Obj> group = group(g + 20, 4);
            writeGroup(litePublisher, group);
            sent.addAll(group.stream().map(o -> new Obj(o.group - 20, o.object, o.hex)).collect(Collectors.toList()));
            awaitReceived(net20, sent.size());
        }
        assertThat(received(net20)).as("@moq/net at draft 20 from a draft-14 publisher").containsExactlyElementsOf(
            sent);
        assertThat(litePublisher.version).isEqualTo(LITE_VERSION);
        assertThat(net20.version).isEqualTo(VERSION);
        assertThat(setupLines(SETUP)).as("the three @moq/net sessions").isEqualTo(3);
        assertThat(setupLines(LITE_SETUP)).as("the two @moq/lite sessions").isEqualTo(2);
        assertNoErrors(net20);
        for (final Client c : List.of(publisher, lite, net, litePublisher, net20))
        {
            leave(c);
        }
    }

    /**
     * A track with content before anyone subscribes: the relay's upstream SUBSCRIBE is answered with LARGEST_OBJECT
     * as @moq/net writes it at draft 20 (a length, then the Location). Read as the draft's bare Location, the
     * SUBSCRIBE_OK does not decode and the publisher's session closes; the relay reads that peer's form. Then
     * draft-20 FETCHes of past groups and of a range past the live edge are served from the relay's cache, a draft-20
     * SUBSCRIBE with a fill gets the groups before the live edge on its fill stream and the live ones after it, and a
     * late joiner gets the current group.
     */
    @Test
    void aPublisherWithContentAnswersWithItsLargestObjectAndTheCacheServesADraft20FetchOfPastGroups()
        throws Exception
    {
        final String ns = "d20/static";
        final Client publisher = publishStatic("s-pub", ns);
        // Written before the relay subscribes: the publisher's Largest Object is {1, 3}.
        writeGroup(publisher, group(0, 4));
        writeGroup(publisher, group(1, 4));
        awaitPublished(ns);
        final Client subscriber = subscribe("s-sub", NET20, ns);
        awaitAnswered(publisher);
        final List<Obj> live = new ArrayList<>();
        for (int g = 2; g < 5; g++)
        {
            final List<Obj> group = group(g, 4);
            writeGroup(publisher, group);
            live.addAll(group);
            final int n = live.size();
            await(subscriber, s -> groupsFrom(s, 2) >= n, n + " objects of groups 2 and later");
        }
        // What the publisher sends of group 1 on the relay's Next Object subscription is its business; from group 2
        // on, everything arrives in order and byte for byte.
        assertThat(received(subscriber).stream().filter(o -> o.group >= 2).collect(Collectors.toList()))
            .as("groups 2 to 4 after the LARGEST_OBJECT answer").containsExactlyElementsOf(live);
        assertThat(setupLines(SETUP)).as("both sessions still set up once, none closed").isEqualTo(2);
        assertNoErrors(subscriber);

        // Past groups from the cache: a draft-20 FETCH of groups 2 to 3 (every object of each).
        final MoqClient fetcher = relay.connect(Draft.DRAFT_20);
        final Fetched past = fetch(fetcher, ns, new Location(2, 0), new Location(3, 0));
        assertThat(past.objects).as("groups 2 and 3 from the cache, byte for byte").containsExactlyElementsOf(
            live.subList(0, 8));
        assertThat(past.ok.endOfTrack()).isFalse();
        // A FETCH reaching past the live edge (groups 3 to 9, the largest is {4, 3}): what exists, up to the Largest
        // Object; FETCH_OK's End Location is that object (the client reports it as draft 18 encodes it, object + 1).
        final Fetched beyond = fetch(fetcher, ns, new Location(3, 0), new Location(9, 0));
        assertThat(beyond.objects).as("groups 3 and 4, then nothing beyond the live edge")
            .containsExactlyElementsOf(live.subList(4, 12));
        assertThat(beyond.ok.endLocation()).isEqualTo(new Location(4, 4));
        assertThat(fetcher.draft()).isEqualTo(Draft.DRAFT_20);

        // A draft-20 fill (draft-21 §3.4): SUBSCRIBE at the Next Object with FILL_PARAMETERS whose Location Filter is
        // StartGroup 2 (the group before the current one). The fill fetch stream carries groups 3 and 4 from the cache,
        // up to SUBSCRIBE_OK's Largest Object {4, 3}; the subscription's objects start after it.
        final List<Obj> fillObjects = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> fillDone = new CompletableFuture<>();
        final List<Obj> filledLive = new CopyOnWriteArrayList<>();
        final Subscription filled = fetcher.subscribeWithFill(TrackNamespace.of(ns.split("/")), Bytes.utf8(TRACK),
            SubscribeOptions.LATEST, o -> collect(o, filledLive), LocationFilter.relativeStartGroup(2),
            collector(fillObjects, fillDone)).get(10, TimeUnit.SECONDS);
        assertThat(filled.largest()).as("SUBSCRIBE_OK's Largest Object").isEqualTo(new Location(4, 3));
        fillDone.get(10, TimeUnit.SECONDS);
        assertThat(fillObjects).as("the fill: groups 3 and 4 from the cache, byte for byte")
            .containsExactlyElementsOf(live.subList(4, 12));

        // A late @moq/net joiner: the current group (4) from the cache, then what follows.
        final Client late = subscribe("s-late", NET20, ns);
        final List<Obj> group5 = group(5, 4);
        writeGroup(publisher, group5);
        RelayFixture.await(() -> filledLive.size() >= group5.size(), "group 5 on the filled subscription");
        assertThat(filledLive).as("after the fill, the live objects from group 5, no duplicate")
            .containsExactlyElementsOf(group5);
        final List<Obj> lateExpected = new ArrayList<>(live.subList(8, 12));
        lateExpected.addAll(group5);
        awaitReceived(late, lateExpected.size());
        assertThat(received(late)).as("the late joiner: group 4 from the cache, then group 5")
            .containsExactlyElementsOf(lateExpected);
        assertNoErrors(late);
        fetcher.close();
        for (final Client c : List.of(publisher, subscriber, late))
        {
            leave(c);
        }
    }

    /** A completed FETCH: its FETCH_OK and the objects of its stream, in order. */
    private record Fetched(FetchResult ok, List<Obj> objects)
    {
    }

    private static Fetched fetch(final MoqClient client, final String ns, final Location start, final Location end)
        throws Exception
    {
        final List<Obj> objects = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> complete = new CompletableFuture<>();
        final FetchResult ok = client.fetch(TrackNamespace.of(ns.split("/")), Bytes.utf8(TRACK), start, end,
            collector(objects, complete)).get(10, TimeUnit.SECONDS);
        complete.get(10, TimeUnit.SECONDS);
        return new Fetched(ok, objects);
    }

    /** A fetch stream's (or fill's) normal objects into {@code objects}; its end completes {@code complete}. */
    private static FetchListener collector(final List<Obj> objects, final CompletableFuture<Void> complete)
    {
        return new FetchListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                collect(o, objects);
            }

            @Override
            public void onComplete()
            {
                complete.complete(null);
            }

            @Override
            public void onAborted(final String why)
            {
                complete.completeExceptionally(new AssertionError("fetch aborted: " + why));
            }
        };
    }

    private static void collect(final ReceivedObject o, final List<Obj> objects)
    {
        if (o.status() == 0)
        {
            objects.add(new Obj(o.groupId(), o.objectId(), HexFormat.of().formatHex(o.payloadBytes())));
        }
    }

    private static int groupsFrom(final JsonNode status, final long firstGroup)
    {
        int n = 0;
        for (final JsonNode o : status.get("received"))
        {
            if (o.get("group").asLong() >= firstGroup)
            {
                n++;
            }
        }
        return n;
    }
}
