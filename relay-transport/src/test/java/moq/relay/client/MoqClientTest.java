package moq.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import moq.relay.ServedDrafts;
import moq.relay.oracle.Oracle;
import moq.relay.oracle.Oracle.CheckResult;
import moq.relay.oracle.Oracle.HexEntry;
import moq.relay.transport.TestServers;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.SessionFactories;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against {@link MoqTestPeer} on the real QUIC server foundation, 127.0.0.1, both drafts. */
class MoqClientTest
{
    private static final TrackNamespace NS = TrackNamespace.of("live", "test");
    private static final Bytes TRACK = Bytes.utf8("video");

    @TempDir
    Path certDir;

    private final MoqTestPeer peer = new MoqTestPeer();
    private RelayServer server;
    private MoqClient client;

    private MoqClient connect(final Draft draft) throws Exception
    {
        server = TestServers.start(TestServers.settings(1, Duration.ofMillis(200)), TestServers.certificate(certDir),
            SessionFactories.builder().register(Draft.DRAFT_18.alpn(), peer).register(Draft.DRAFT_20.alpn(), peer)
                .register(Draft.DRAFT_14.alpn(), peer)
                .build());
        client = MoqClient.connect(ClientConfig.of("127.0.0.1", server.localAddress().getPort(), draft,
            ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
        return client;
    }

    @AfterEach
    void stop()
    {
        if (client != null)
        {
            client.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void setupNegotiatesTheDraft(final Draft draft) throws Exception
    {
        connect(draft);
        assertThat(client.draft()).isEqualTo(draft);
        assertThat(client.alpn()).isEqualTo(draft.alpn());
        awaitTrue(() -> !peer.received.isEmpty());
        final ControlMessage setup = peer.received.get(0);
        if (draft.atLeast(18))
        {
            assertThat(setup).isInstanceOf(moq.relay.wire.d18.Setup.class);
            assertThat(((moq.relay.wire.d18.Setup)setup).implementation()).contains(Bytes.utf8(ClientConfig.IMPLEMENTATION));
        }
        else
        {
            assertThat(((moq.relay.wire.d14.ClientSetup)setup).supportedVersions()).containsExactly(0xff00000EL);
        }
    }

    @Test
    void certificateFingerprintIsVerified() throws Exception
    {
        server = TestServers.start(TestServers.settings(1, Duration.ofMillis(200)), TestServers.certificate(certDir),
            SessionFactories.builder().register(Draft.DRAFT_18.alpn(), peer).build());
        final String good = TestServers.certificate(certDir).sha256Fingerprint();
        client = MoqClient.connect(ClientConfig.of("127.0.0.1", server.localAddress().getPort(), Draft.DRAFT_18,
            ClientTrust.fingerprint(good))).get(10, TimeUnit.SECONDS);
        assertThat(client.draft()).isEqualTo(Draft.DRAFT_18);
        final CompletableFuture<MoqClient> bad = MoqClient.connect(ClientConfig.of("127.0.0.1",
            server.localAddress().getPort(), Draft.DRAFT_18, ClientTrust.fingerprint("00".repeat(32))));
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    /**
     * A PUBLISH the peer never answered fails when the session closes, as every other request of the client does: its
     * publisher side is the relay's machine, and the session's end ends it (draft 14 kept such a PUBLISH waiting).
     */
    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void anUnansweredPublishFailsWhenTheSessionCloses(final Draft draft) throws Exception
    {
        connect(draft);
        peer.silent = true;
        final CompletableFuture<Void> offer = client.track(NS, TRACK, 128).publish();
        awaitTrue(() -> peer.received.stream().anyMatch(m -> m.getClass().getSimpleName().equals("Publish")));
        client.close();
        assertThatThrownBy(() -> offer.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void publishNamespaceIsAcceptedOrRefused(final Draft draft) throws Exception
    {
        connect(draft);
        final PublishedNamespace ns = client.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        assertThat(ns.requestId()).isZero();
        assertThat(ns.namespace()).isEqualTo(NS);
        peer.refuseNamespaces = true;
        assertThatThrownBy(() -> client.publishNamespace(TrackNamespace.of("other")).get(5, TimeUnit.SECONDS))
            .hasCauseInstanceOf(RequestRejectedException.class)
            .hasMessageContaining("code 0x1");
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void subscribeReceivesObjectsInOrderThenPublishDone(final Draft draft) throws Exception
    {
        final List<List<byte[]>> script = List.of(
            List.of(utf8("g0o0"), utf8("g0o1"), new byte[3000]),
            List.of(utf8("g1o0"), utf8("g1o1")));
        peer.script = script;
        connect(draft);
        final List<long[]> ids = new CopyOnWriteArrayList<>();
        final List<byte[]> payloads = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        final Subscription sub = client.subscribe(NS, TRACK, SubscribeOptions.LATEST, new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                ids.add(new long[] {o.groupId(), o.subgroupId(), o.objectId(), o.status()});
                payloads.add(o.payloadBytes());
            }

            @Override
            public void onPublishDone(final long statusCode, final long streamCount, final String reason)
            {
                done.complete(statusCode);
            }
        }).get(5, TimeUnit.SECONDS);
        assertThat(sub.trackAlias()).isEqualTo(MoqTestPeer.ALIAS);
        assertThat(sub.largest()).isEqualTo(new moq.relay.wire.Location(0, 0));
        assertThat(done.get(5, TimeUnit.SECONDS)).isEqualTo(MoqTestPeer.TRACK_ENDED);
        // PUBLISH_DONE is held until the streams it counts have ended, so every object is in.
        assertThat(ids.stream().map(Arrays::toString).toList()).hasSize(7);
        // Groups travel on separate streams: order holds within each group.
        for (int g = 0; g < 2; g++)
        {
            final int group = g;
            final List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++)
            {
                if (ids.get(i)[0] == group)
                {
                    idx.add(i);
                }
            }
            final List<byte[]> expected = script.get(group);
            assertThat(idx).hasSize(expected.size() + 1);
            for (int o = 0; o < expected.size(); o++)
            {
                assertThat(ids.get(idx.get(o))).containsExactly(group, 0, o, ObjectStatus.NORMAL);
                assertThat(payloads.get(idx.get(o))).isEqualTo(expected.get(o));
            }
            assertThat(ids.get(idx.get(expected.size()))).containsExactly(group, 0, expected.size(),
                ObjectStatus.END_OF_GROUP);
            assertThat(payloads.get(idx.get(expected.size()))).isEmpty();
        }
        assertThat(sub.ended()).isDone();
    }

    /**
     * PUBLISH_DONE overtakes the rest of a stream that already started (its data late, e.g. retransmitted) by more
     * than the client's grace period: the grace ends the wait only for streams that never started, so the open one is
     * still read to its FIN and every object reaches the listener before onPublishDone (draft-18 §PUBLISH_DONE).
     */
    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void objectsOfAnOpenStreamThatTrailPublishDonePastTheGraceAreDelivered(final Draft draft) throws Exception
    {
        peer.script = List.of(List.of(utf8("g0o0"), utf8("g0o1")), List.of(utf8("g1o0"), utf8("g1o1"), utf8("g1o2")));
        peer.trailingLastGroupMillis = ClientSession.PUBLISH_DONE_GRACE_MILLIS + 700;
        connect(draft);
        final List<String> ids = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        final Subscription sub = client.subscribe(NS, TRACK, SubscribeOptions.LATEST, new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                ids.add(o.groupId() + "/" + o.objectId() + "/" + o.status());
            }

            @Override
            public void onPublishDone(final long statusCode, final long streamCount, final String reason)
            {
                done.complete(ids.size());
            }
        }).get(5, TimeUnit.SECONDS);
        final long e = ObjectStatus.END_OF_GROUP;
        assertThat(done.get(10, TimeUnit.SECONDS)).as("objects before onPublishDone").isEqualTo(7);
        assertThat(ids).containsExactlyInAnyOrder("0/0/0", "0/1/0", "0/2/" + e, "1/0/0", "1/1/0", "1/2/0", "1/3/" + e);
        assertThat(sub.ended()).isDone();
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void publisherWritesSubgroupStreamsByteExactWithFinAfterTheLastObject(final Draft draft) throws Exception
    {
        connect(draft);
        final TrackPublisher track = client.track(NS, TRACK, 64);
        peer.subscribeToClient(NS, TRACK);
        try
        {
            track.firstSubscriber().get(10, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.TimeoutException e)
        {
            throw new AssertionError("no subscriber; the peer received " + peer.received + " and the responses " +
                peer.subscribeResponses, e);
        }
        final byte[] big = new byte[1 << 20];
        new Random(42).nextBytes(big);
        final List<byte[]> sent = List.of(utf8("first"), big, new byte[0], utf8("last"));
        final SubgroupWriter g0 = track.openSubgroup(0, 0);
        for (int i = 0; i < sent.size(); i++)
        {
            g0.write(i, Unpooled.wrappedBuffer(sent.get(i)));
        }
        g0.endGroup(sent.size());
        final SubgroupWriter g1 = track.openSubgroup(1, 5, 3, true);
        g1.write(0, new byte[] {0x3C, 0x01}, Unpooled.wrappedBuffer(utf8("props")));
        g1.close();
        awaitTrue(() -> peer.finishedDataStreams == 2);
        final List<MoqTestPeer.PeerObject> got = peer.objects;
        assertThat(got).hasSize(sent.size() + 2);
        final List<MoqTestPeer.PeerObject> group0 = got.stream().filter(o -> o.groupId() == 0).toList();
        for (int i = 0; i < sent.size(); i++)
        {
            assertThat(group0.get(i).objectId()).isEqualTo(i);
            assertThat(group0.get(i).status()).isEqualTo(ObjectStatus.NORMAL);
            assertThat(Arrays.equals(group0.get(i).payload(), sent.get(i))).as("object %d payload", i).isTrue();
        }
        assertThat(group0.get(sent.size()).status()).isEqualTo(ObjectStatus.END_OF_GROUP);
        final MoqTestPeer.PeerObject withProps = got.stream().filter(o -> o.groupId() == 1).findFirst().orElseThrow();
        assertThat(withProps.subgroupId()).isEqualTo(5);
        assertThat(withProps.properties()).containsExactly(0x3C, 0x01);
        assertThat(withProps.payload()).isEqualTo(utf8("props"));
        assertThat(group0.get(0).trackAlias()).isEqualTo(withProps.trackAlias());
        assertThat(track.largest()).isEqualTo(new moq.relay.wire.Location(1, 0));
        assertThat(track.queuedBytes()).isZero();

        track.finish(MoqTestPeer.TRACK_ENDED, "bye");
        awaitTrue(() -> peer.subscribeResponses.size() == 2);
        final ControlMessage doneMessage = peer.subscribeResponses.get(1);
        if (draft.atLeast(18))
        {
            assertThat(((moq.relay.wire.d18.PublishDone)doneMessage).streamCount()).isEqualTo(2);
        }
        else
        {
            assertThat(((moq.relay.wire.d14.PublishDone)doneMessage).streamCount()).isEqualTo(2);
        }
    }

    @Test
    void draft14HonoursMaxRequestIdAndReportsRequestsBlocked() throws Exception
    {
        peer.maxRequestId = 2;
        connect(Draft.DRAFT_14);
        client.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final CompletableFuture<PublishedNamespace> second = client.publishNamespace(TrackNamespace.of("two"));
        awaitTrue(() -> peer.received.stream().anyMatch(m -> m instanceof moq.relay.wire.d14.RequestsBlocked));
        assertThat(second).isNotDone();
        assertThat(peer.received.stream().filter(m -> m instanceof moq.relay.wire.d14.PublishNamespace)).hasSize(1);
        assertThat(peer.received.stream().filter(m -> m instanceof moq.relay.wire.d14.RequestsBlocked)
            .map(m -> ((moq.relay.wire.d14.RequestsBlocked)m).maximumRequestId())).containsExactly(2L);
        peer.sendControl(new moq.relay.wire.d14.MaxRequestId(4));
        assertThat(second.get(5, TimeUnit.SECONDS).requestId()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void malformedServerInputClosesWithProtocolViolation(final Draft draft) throws Exception
    {
        connect(draft);
        final CompletableFuture<SessionClose> closed = client.closed();
        // Type 0x3F is no control message in either draft; then a zero length.
        peer.writeOnControlStream(new byte[] {0x3F, 0x00, 0x00});
        final SessionClose close = closed.get(5, TimeUnit.SECONDS);
        assertThat(close.local()).isTrue();
        assertThat(close.code()).isEqualTo(0x3);
        assertThat(peer.clientClose.get(5, TimeUnit.SECONDS).error()).isEqualTo(0x3);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void goawayIsReported(final Draft draft) throws Exception
    {
        final CompletableFuture<String> goaway = new CompletableFuture<>();
        server = TestServers.start(TestServers.settings(1, Duration.ofMillis(200)), TestServers.certificate(certDir),
            SessionFactories.builder().register(Draft.DRAFT_18.alpn(), peer).register(Draft.DRAFT_20.alpn(), peer)
                .register(Draft.DRAFT_14.alpn(), peer)
                .build());
        client = MoqClient.connect(ClientConfig.of("127.0.0.1", server.localAddress().getPort(), draft,
            ClientTrust.insecure()).withListener(new SessionListener()
            {
                @Override
                public void onGoaway(final String uri)
                {
                    goaway.complete(uri);
                }
            })).get(10, TimeUnit.SECONDS);
        peer.sendControl(draft.atLeast(18)
            ? moq.relay.wire.d18.Goaway.onControlStream(Bytes.utf8("moqt://next"), 1000, 0)
            : new moq.relay.wire.d14.Goaway(Bytes.utf8("moqt://next")));
        assertThat(goaway.get(5, TimeUnit.SECONDS)).isEqualTo("moqt://next");
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void controlAndRequestStreamBytesPassTheOracle(final Draft draft) throws Exception
    {
        Oracle.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(draft != Draft.DRAFT_20,
            "the oracle (@moqt/transport) has no draft 20; draft 20's bytes are pinned by its own vectors");
        peer.script = List.of();
        connect(draft);
        client.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        client.subscribe(NS, TRACK, SubscribeOptions.of(Filter.absoluteRange(new moq.relay.wire.Location(2, 1), 9)),
            o -> { }).get(5, TimeUnit.SECONDS);
        client.subscribe(NS, TRACK, SubscribeOptions.LATEST, o -> { }).get(5, TimeUnit.SECONDS);
        final List<HexEntry> entries = new ArrayList<>();
        for (final var stream : peer.rawStreams.entrySet())
        {
            final byte[] bytes = stream.getValue().toByteArray();
            final UnsafeBuffer view = new UnsafeBuffer(bytes);
            int at = 0;
            while (at < bytes.length)
            {
                final int n = ControlFramer.frameLength(draft.varint(), view, at, bytes.length - at);
                assertThat(n).isPositive();
                entries.add(new HexEntry(draft.number(), Oracle.CONTROL, "stream " + stream.getKey() + " @" + at,
                    Bytes.wrap(Arrays.copyOfRange(bytes, at, at + n)).hex(), null));
                at += n;
            }
        }
        assertThat(entries).hasSizeGreaterThanOrEqualTo(4);
        for (final CheckResult r : Oracle.check(entries))
        {
            assertThat(r.decoded() && Boolean.TRUE.equals(r.consumedAll())).as(r.toString()).isTrue();
            assertThat(r.identical()).as(r.toString()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void standaloneAndJoiningFetchDeliverObjectsThenComplete(final Draft draft) throws Exception
    {
        peer.script = List.of(List.of(utf8("f0"), utf8("f1"), new byte[2000]));
        peer.holdSubscriptions = true;
        connect(draft);
        final RecordingFetch standalone = new RecordingFetch();
        final FetchResult ok = client.fetch(NS, TRACK, new moq.relay.wire.Location(0, 0),
            new moq.relay.wire.Location(0, 3), standalone).get(5, TimeUnit.SECONDS);
        assertThat(ok.requestId()).isZero();
        standalone.complete.get(5, TimeUnit.SECONDS);
        assertThat(standalone.payloads).hasSize(3);
        for (int i = 0; i < 3; i++)
        {
            assertThat(standalone.payloads.get(i)).isEqualTo(peer.script.get(0).get(i));
            assertThat(standalone.objectIds.get(i)).isEqualTo(i);
        }

        final Subscription sub = client.subscribe(NS, TRACK, SubscribeOptions.LATEST, o -> { })
            .get(5, TimeUnit.SECONDS);
        final RecordingFetch joining = new RecordingFetch();
        if (draft == Draft.DRAFT_20)
        {
            // Draft 20 has no joining FETCH (FILL_PARAMETERS replaced it): refused by the client, nothing sent.
            assertThat(client.joiningFetch(sub, 1, joining)).failsWithin(5, TimeUnit.SECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(RequestRejectedException.class);
            assertThat(peer.received.stream().filter(m -> m.type() == 0x16)).hasSize(1);
            return;
        }
        client.joiningFetch(sub, 1, joining).get(5, TimeUnit.SECONDS);
        joining.complete.get(5, TimeUnit.SECONDS);
        assertThat(joining.payloads).hasSize(3);
        final ControlMessage fetch = peer.received.stream()
            .filter(m -> m.type() == 0x16).skip(1).findFirst().orElseThrow();
        if (draft.atLeast(18))
        {
            assertThat(((moq.relay.wire.d18.Fetch)fetch).joining().joiningRequestId()).isEqualTo(sub.requestId());
        }
        else
        {
            assertThat(((moq.relay.wire.d14.Fetch)fetch).joining().joiningRequestId()).isEqualTo(sub.requestId());
        }
    }

    /** Objects the {@link #history} serves to the peer's FETCH: 6 MB, far beyond one stream's 1 MiB window. */
    private static final int FETCH_OBJECTS = 60;
    private static final int FETCH_OBJECT_BYTES = 100_000;

    /** Any track's history: {@link #FETCH_OBJECTS} objects of group 0. */
    private static FetchSource history()
    {
        final List<FetchSource.Item> items = new ArrayList<>();
        for (int o = 0; o < FETCH_OBJECTS; o++)
        {
            items.add(FetchSource.Item.object(0, 0, o, new byte[FETCH_OBJECT_BYTES]));
        }
        return (namespace, name, start, end) -> items;
    }

    /** The client's answers to the peer's FETCHes, in order: FETCH_OK, or its error's "code reason". */
    private List<String> fetchAnswers()
    {
        final List<String> answers = new ArrayList<>();
        for (final ControlMessage m : peer.received)
        {
            if (m instanceof moq.relay.wire.d14.FetchOk || m instanceof moq.relay.wire.d18.FetchOk)
            {
                answers.add("FETCH_OK");
            }
            else if (m instanceof moq.relay.wire.d14.FetchError e)
            {
                answers.add(e.errorCode() + " " + e.reason().utf8());
            }
            else if (m instanceof moq.relay.wire.d18.RequestError e)
            {
                answers.add(e.errorCode() + " " + e.reason().utf8());
            }
        }
        return answers;
    }

    /**
     * The client answers its peer's FETCH on the relay's downstream-fetch machine ({@code ResponderSide}): the peer's
     * cancel (draft 14: FETCH_CANCEL; drafts 18, 20: its request stream reset) stops the fetch stream the client is
     * still writing (held by flow control: the peer reads nothing meanwhile) with RESET_STREAM CANCELLED, instead of
     * its remaining objects and FIN; the session carries on.
     */
    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void aCancelledFetchStopsItsStreamEarly(final Draft draft) throws Exception
    {
        connect(draft);
        client.serveFetches(history());
        peer.holdFetchStreams = true;
        final long id = peer.fetchFromClient(NS, TRACK, new moq.relay.wire.Location(0, 0),
            new moq.relay.wire.Location(1, 0)).get(5, TimeUnit.SECONDS);
        awaitTrue(() -> fetchAnswers().size() == 1 && peer.fetchStreams.size() == 1);
        assertThat(fetchAnswers()).containsExactly("FETCH_OK");
        peer.cancelFetchOfClient(id);
        Thread.sleep(500); // the cancel reaches the client before the peer reads (and grants credit) again
        peer.releaseFetchStreams();
        final MoqTestPeer.FetchStream stream = peer.fetchStreams.get(0);
        assertThat(stream.end.get(10, TimeUnit.SECONDS)).as("how the fetch stream ended").isEqualTo("reset 1");
        assertThat(stream.bytes.get()).as("bytes of the fetch stream read")
            .isLessThan((long)FETCH_OBJECTS * FETCH_OBJECT_BYTES);
        assertThat(peer.clientClose).isNotDone();
    }

    /**
     * The client serves as many of its peer's FETCHes at once as {@link MoqClient#maxServedRequests} allows and refuses
     * one beyond with EXCESSIVE_LOAD (draft 14 has no such FETCH_ERROR code: INTERNAL_ERROR), as the relay refuses a
     * request beyond {@code moq.relay.session.max.requests}; a cancelled FETCH frees its place.
     */
    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void aFetchBeyondTheLimitIsRefusedUntilOneIsCancelled(final Draft draft) throws Exception
    {
        connectServingOneRequest(draft);
        peer.holdFetchStreams = true;
        final moq.relay.wire.Location start = new moq.relay.wire.Location(0, 0);
        final moq.relay.wire.Location end = new moq.relay.wire.Location(1, 0);
        final long first = peer.fetchFromClient(NS, TRACK, start, end).get(5, TimeUnit.SECONDS);
        awaitTrue(() -> fetchAnswers().size() == 1);
        peer.fetchFromClient(NS, TRACK, start, end).get(5, TimeUnit.SECONDS);
        awaitTrue(() -> fetchAnswers().size() == 2);
        final long excessiveLoad = draft.atLeast(18) ? 0x9 : 0x0;
        assertThat(fetchAnswers()).containsExactly("FETCH_OK", excessiveLoad + " too many requests on this session");

        peer.cancelFetchOfClient(first);
        Thread.sleep(500); // drafts 18, 20: the reset request stream and the next FETCH's stream are not ordered
        peer.fetchFromClient(NS, TRACK, start, end).get(5, TimeUnit.SECONDS);
        awaitTrue(() -> fetchAnswers().size() == 3);
        assertThat(fetchAnswers().get(2)).as("the cancelled FETCH freed its place").isEqualTo("FETCH_OK");
        assertThat(peer.clientClose).isNotDone();
    }

    /**
     * A SUBSCRIBE counts against {@link MoqClient#maxServedRequests} as a FETCH does: beyond the limit it is refused
     * with EXCESSIVE_LOAD, and so is a FETCH while subscriptions fill it.
     */
    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void aSubscribeBeyondTheLimitIsRefused(final Draft draft) throws Exception
    {
        connectServingOneRequest(draft);
        client.track(NS, TRACK, 64);
        client.track(NS, Bytes.utf8("audio"), 64);
        peer.subscribeToClient(NS, TRACK);
        awaitTrue(() -> peer.subscribeResponses.size() == 1);
        peer.subscribeToClient(NS, Bytes.utf8("audio"));
        awaitTrue(() -> peer.subscribeResponses.size() == 2);
        // Draft 14 has no EXCESSIVE_LOAD code in SUBSCRIBE_ERROR and FETCH_ERROR: INTERNAL_ERROR, as the relay's.
        final String refused = (draft.atLeast(18) ? 0x9 : 0x0) + " too many requests on this session";
        assertThat(subscribeAnswer(peer.subscribeResponses.get(0))).isEqualTo("SUBSCRIBE_OK");
        assertThat(subscribeAnswer(peer.subscribeResponses.get(1))).as("the SUBSCRIBE beyond the limit")
            .isEqualTo(refused);
        final int answered = fetchAnswers().size(); // drafts 18, 20: REQUEST_ERROR answers SUBSCRIBE too
        peer.fetchFromClient(NS, TRACK, new moq.relay.wire.Location(0, 0), new moq.relay.wire.Location(1, 0))
            .get(5, TimeUnit.SECONDS);
        awaitTrue(() -> fetchAnswers().size() == answered + 1);
        assertThat(fetchAnswers().get(answered)).as("a FETCH while the subscription fills the limit")
            .isEqualTo(refused);
        assertThat(peer.clientClose).isNotDone();
    }

    /** A client that serves FETCHes from {@link #history()}, one of the peer's requests at a time. */
    private void connectServingOneRequest(final Draft draft) throws Exception
    {
        connect(draft);
        client.serveFetches(history());
        client.maxServedRequests(1);
    }

    /** SUBSCRIBE_OK, or the refusal's "code reason" (draft 14: SUBSCRIBE_ERROR; drafts 18, 20: REQUEST_ERROR). */
    private static String subscribeAnswer(final ControlMessage m)
    {
        if (m instanceof moq.relay.wire.d14.SubscribeError e)
        {
            return e.errorCode() + " " + e.reason().utf8();
        }
        if (m instanceof moq.relay.wire.d18.RequestError e)
        {
            return e.errorCode() + " " + e.reason().utf8();
        }
        return m instanceof moq.relay.wire.d14.SubscribeOk || m instanceof moq.relay.wire.d18.SubscribeOk ?
            "SUBSCRIBE_OK" : m.toString();
    }

    /**
     * Drafts 18 and 20 §"Request ID": a request id of the wrong parity (the server's are odd) or one used before
     * closes the session with INVALID_REQUEST_ID, as the relay closes a client's; draft 14 checked them already (in
     * order, below MAX_REQUEST_ID).
     */
    @ParameterizedTest
    @CsvSource({"DRAFT_18, 2", "DRAFT_20, 2", "DRAFT_18, 1", "DRAFT_20, 1"})
    void aServerRequestIdOfTheWrongParityOrUsedBeforeClosesTheSession(final Draft draft, final long secondId)
        throws Exception
    {
        connect(draft);
        client.track(NS, TRACK, 64);
        client.track(NS, Bytes.utf8("audio"), 64);
        final CompletableFuture<SessionClose> closed = client.closed();
        peer.subscribeToClient(NS, TRACK, 1);
        awaitTrue(() -> peer.subscribeResponses.size() == 1);
        assertThat(closed).as("after request id 1").isNotDone();
        peer.subscribeToClient(NS, Bytes.utf8("audio"), secondId);
        final SessionClose close = closed.get(5, TimeUnit.SECONDS);
        assertThat(close.local()).isTrue();
        assertThat(close.code()).as("INVALID_REQUEST_ID").isEqualTo(0x4);
        assertThat(peer.clientClose.get(5, TimeUnit.SECONDS).error()).isEqualTo(0x4);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void datagramsFlowBothWays(final Draft draft) throws Exception
    {
        peer.holdSubscriptions = true;
        peer.datagramPayload = utf8("over a datagram");
        connect(draft);
        final CompletableFuture<ReceivedObject> got = new CompletableFuture<>();
        client.subscribe(NS, TRACK, SubscribeOptions.LATEST, o -> got.complete(new ReceivedObject(o.groupId(),
            o.subgroupId(), o.objectId(), o.status(), o.publisherPriority(), o.properties(),
            Unpooled.wrappedBuffer(o.payloadBytes()), o.datagram()))).get(5, TimeUnit.SECONDS);
        final ReceivedObject o = got.get(5, TimeUnit.SECONDS);
        assertThat(o.datagram()).isTrue();
        assertThat(o.groupId()).isEqualTo(9);
        assertThat(o.payloadBytes()).isEqualTo(utf8("over a datagram"));

        final TrackPublisher track = client.track(NS, Bytes.utf8("dgram"), 1);
        peer.subscribeToClient(NS, Bytes.utf8("dgram"));
        track.firstSubscriber().get(10, TimeUnit.SECONDS);
        track.sendDatagram(3, 4, Unpooled.wrappedBuffer(utf8("from the client")));
        awaitTrue(() -> peer.datagrams.size() == 1);
        assertThat(peer.datagrams.get(0).groupId()).isEqualTo(3);
        assertThat(peer.datagrams.get(0).objectId()).isEqualTo(4);
        assertThat(peer.datagrams.get(0).payload()).isEqualTo(utf8("from the client"));
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void unsubscribeCancelsTheRequestStreamOrSendsUnsubscribe(final Draft draft) throws Exception
    {
        peer.holdSubscriptions = true;
        connect(draft);
        final Subscription sub = client.subscribe(NS, TRACK, SubscribeOptions.LATEST, o -> { })
            .get(5, TimeUnit.SECONDS);
        sub.unsubscribe();
        sub.ended().get(5, TimeUnit.SECONDS);
        if (draft.atLeast(18))
        {
            awaitTrue(() -> !peer.endedRequestStreams.isEmpty());
        }
        else
        {
            awaitTrue(() -> peer.received.stream().anyMatch(m -> m instanceof moq.relay.wire.d14.Unsubscribe &&
                ((moq.relay.wire.d14.Unsubscribe)m).requestId() == sub.requestId()));
        }
    }

    /** Records fetch objects (payload copies) and completion. */
    private static final class RecordingFetch implements FetchListener
    {
        final List<byte[]> payloads = new CopyOnWriteArrayList<>();
        final List<Long> objectIds = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> complete = new CompletableFuture<>();

        @Override
        public void onObject(final ReceivedObject object)
        {
            payloads.add(object.payloadBytes());
            objectIds.add(object.objectId());
        }

        @Override
        public void onComplete()
        {
            complete.complete(null);
        }

        @Override
        public void onAborted(final String why)
        {
            complete.completeExceptionally(new AssertionError(why));
        }
    }

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitTrue(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
