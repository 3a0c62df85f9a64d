package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.auth.Action;
import moq.relay.auth.CatGrant;
import moq.relay.auth.Credential;
import moq.relay.auth.Grant;
import moq.relay.auth.KeyGenerator;
import moq.relay.auth.TokenMinter;
import moq.relay.auth.TokenRef;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SessionClosedException;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Authorization enforced end to end over raw QUIC on both drafts (issue #15, "How to show it works"): moq-dev JWTs in
 * the SETUP PATH's {@code ?jwt=} and in AUTHORIZATION TOKENs (SETUP and per request, with the alias cache), Common
 * Access Tokens, refusals with the drafts' codes while other sessions carry on, and a grant that expires mid-session
 * ending only what it authorized.
 */
class AuthorizationTest
{
    @TempDir
    static Path certDir;
    @TempDir
    static Path keyDir;

    private static JWK es256;
    private static JWK hs256;
    private static JWK stranger;

    private static final TrackNamespace ALICE = TrackNamespace.of("room", "alice");
    private static final TrackNamespace BOB = TrackNamespace.of("room", "bob");
    private static final Bytes VIDEO = Bytes.utf8("video");

    private RelayFixture relay;

    @BeforeAll
    static void keys() throws Exception
    {
        es256 = KeyGenerator.generate("ES256", "k1");
        hs256 = KeyGenerator.generate("HS256", "h1");
        stranger = KeyGenerator.generate("ES256", "k1"); // same kid, other key: a forged signature
        Files.writeString(keyDir.resolve("k1.jwk"), es256.toPublicJWK().toJSONString(), StandardCharsets.UTF_8);
        Files.writeString(keyDir.resolve("h1.jwk"), hs256.toJSONString(), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void start()
    {
        relay = new RelayFixture(certDir, Map.of(
            RelayConfiguration.AUTH_ENABLED_PROP_NAME, "true",
            RelayConfiguration.AUTH_KEYS_PROP_NAME, keyDir.resolve("k1.jwk") + "," + keyDir.resolve("h1.jwk"),
            RelayConfiguration.AUTH_PUBLIC_GET_PROP_NAME, "open",
            RelayConfiguration.AUTH_MAX_TOKEN_BYTES_PROP_NAME, "2048"));
    }

    @AfterEach
    void stop()
    {
        relay.close();
    }

    static String jwt(final String root, final List<String> put, final List<String> get) throws Exception
    {
        return TokenMinter.jwt(es256, root, put, get, -1, Grant.NEVER, System.currentTimeMillis());
    }

    private ClientConfig config(final Draft draft)
    {
        return ClientConfig.of("127.0.0.1", relay.server.localAddress().getPort(), draft, ClientTrust.insecure());
    }

    /** Connects with {@code ?jwt=} in the SETUP PATH (below the relay's WebTransport path, as a browser's URL). */
    private MoqClient connectWithPath(final Draft draft, final String path) throws Exception
    {
        return MoqClient.connect(config(draft).withPath(path)).get(10, TimeUnit.SECONDS);
    }

    private MoqClient connectWithSetupToken(final Draft draft, final Credential token) throws Exception
    {
        return MoqClient.connect(config(draft).withSetupTokens(List.of(TokenRef.useValue(token))))
            .get(10, TimeUnit.SECONDS);
    }

    /** The session error code a refused SETUP closed the session with. */
    private long refusedSetup(final ClientConfig config)
    {
        final CompletableFuture<MoqClient> attempt = MoqClient.connect(config);
        try
        {
            final MoqClient c = attempt.get(10, TimeUnit.SECONDS);
            // The client's setup may complete before the relay's close arrives: wait for the close.
            final long code = c.closed().get(10, TimeUnit.SECONDS).code();
            c.close();
            return code;
        }
        catch (final ExecutionException e)
        {
            assertThat(e.getCause()).isInstanceOf(SessionClosedException.class);
            return ((SessionClosedException)e.getCause()).close().code();
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    private static long rejection(final CompletableFuture<?> request)
    {
        assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(
            RequestRejectedException.class);
        return ((RequestRejectedException)request.handle((v, e) ->
            e instanceof java.util.concurrent.CompletionException ? e.getCause() : e).join()).errorCode();
    }

    /** A publisher of room/alice/video, authorized by a put token in its SETUP PATH. */
    private TrackPublisher alice(final Draft draft) throws Exception
    {
        final MoqClient publisher = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of("alice"), List.of()));
        publisher.publishNamespace(ALICE).get(5, TimeUnit.SECONDS);
        return publisher.track(ALICE, VIDEO, 100);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void validTokensPublishAndSubscribe(final Draft draft) throws Exception
    {
        final TrackPublisher track = alice(draft);
        // the subscriber's token in SETUP's AUTHORIZATION TOKEN, a get-everything-below-room grant
        final MoqClient subscriber = connectWithSetupToken(draft, Credential.jwt(jwt("room", List.of(), List.of(""))));
        final RelayEndToEndTest.Received received = new RelayEndToEndTest.Received();
        subscriber.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(2, 3, 1), 0);
        RelayFixture.await(() -> received.normalObjects() == 6, "6 objects");
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void badSetupTokensCloseTheSessionWithTheirCode(final Draft draft) throws Exception
    {
        final long now = System.currentTimeMillis();
        final String good = jwt("room", List.of(), List.of(""));
        final String forged = TokenMinter.jwt(stranger, "room", List.of(), List.of(""), -1, Grant.NEVER, now);
        final String wrongKid = TokenMinter.jwt(KeyGenerator.generate("ES256", "nobody"), "room", List.of(),
            List.of(""), -1, Grant.NEVER, now);
        final String expired = TokenMinter.jwt(es256, "room", List.of(), List.of(""), -1, now - 60_000, now - 120_000);
        final String notYet = TokenMinter.jwt(es256, "room", List.of(), List.of(""), now + 3_600_000, Grant.NEVER, now);

        // (no token at all opens a session here: the relay has an anonymous prefix, open/)
        assertThat(refusedSetup(config(draft).withPath("/moq?jwt=" + forged))).as("forged").isEqualTo(0x2);
        assertThat(refusedSetup(config(draft).withPath("/moq?jwt=" + wrongKid))).as("wrong kid").isEqualTo(0x2);
        assertThat(refusedSetup(config(draft).withPath("/moq?jwt=" + expired))).as("expired").isEqualTo(0x18);
        assertThat(refusedSetup(config(draft).withPath("/moq?jwt=" + notYet))).as("not yet valid").isEqualTo(0x2);
        assertThat(refusedSetup(config(draft).withPath("/moq/other?jwt=" + good))).as("wrong root").isEqualTo(0x2);
        assertThat(refusedSetup(config(draft).withSetupTokens(List.of(TokenRef.useValue(
            Credential.jwt("x".repeat(3000))))))).as("oversized").isEqualTo(0x16);
        assertThat(refusedSetup(config(draft).withSetupTokens(List.of(TokenRef.useValue(
            Credential.jwt("not.a.jwt")))))).as("malformed").isEqualTo(0x16);

        // Meanwhile a session with a valid token works.
        final TrackPublisher track = alice(draft);
        final MoqClient subscriber = connectWithPath(draft, "/moq/room?jwt=" + good);
        final RelayEndToEndTest.Received received = new RelayEndToEndTest.Received();
        subscriber.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 2, 2), 0);
        RelayFixture.await(() -> received.normalObjects() == 2, "2 objects");
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void requestsOutsideTheGrantAreRefusedAndTheSessionGoesOn(final Draft draft) throws Exception
    {
        final TrackPublisher track = alice(draft);
        // get-only token for room/alice
        final MoqClient viewer = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of(), List.of("alice")));
        assertThat(rejection(viewer.publishNamespace(TrackNamespace.of("room", "alice", "fake"))))
            .as("publish with a get-only token").isEqualTo(0x1);
        assertThat(rejection(viewer.subscribe(BOB, VIDEO, SubscribeOptions.LATEST,
            new RelayEndToEndTest.Received()))).as("subscribe outside get").isEqualTo(0x1);
        assertThat(rejection(viewer.fetch(BOB, VIDEO, new moq.relay.wire.Location(0, 0),
            new moq.relay.wire.Location(1, 0), new CollectingFetch()))).as("fetch outside get").isEqualTo(0x1);
        // an oversized per-request token: MALFORMED_AUTH_TOKEN (draft 18 0x4, draft 14 0x10)
        viewer.requestTokens(List.of(TokenRef.useValue(Credential.jwt("y".repeat(3000)))));
        assertThat(rejection(viewer.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST,
            new RelayEndToEndTest.Received()))).as("oversized").isEqualTo(draft == Draft.DRAFT_18 ? 0x4 : 0x10);
        viewer.requestTokens(List.of());

        // the same session still subscribes inside its grant
        final RelayEndToEndTest.Received received = new RelayEndToEndTest.Received();
        viewer.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 2, 3), 0);
        RelayFixture.await(() -> received.normalObjects() == 2, "2 objects");
        assertThat(viewer.closed()).isNotDone();
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void perRequestTokensGoThroughTheAliasCache(final Draft draft) throws Exception
    {
        final MoqClient publisher = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of("alice"), List.of()));
        publisher.publishNamespace(ALICE).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(ALICE, VIDEO, 100);
        publisher.track(ALICE, Bytes.utf8("audio"), 100);
        // the session may only read open/ (anonymous); the request's registered token allows room/alice
        final MoqClient viewer = MoqClient.connect(config(draft)).get(10, TimeUnit.SECONDS);
        final String token = jwt("room", List.of(), List.of("alice"));
        assertThat(rejection(viewer.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST,
            new RelayEndToEndTest.Received()))).as("no token").isEqualTo(0x1);
        viewer.requestTokens(List.of(new TokenRef(TokenRef.Kind.REGISTER, 5, Credential.TYPE_JWT,
            Bytes.utf8(token))));
        final RelayEndToEndTest.Received first = new RelayEndToEndTest.Received();
        viewer.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, first).get(5, TimeUnit.SECONDS);
        viewer.requestTokens(List.of(new TokenRef(TokenRef.Kind.USE_ALIAS, 5, 0, null)));
        final RelayEndToEndTest.Received second = new RelayEndToEndTest.Received();
        viewer.subscribe(ALICE, Bytes.utf8("audio"), SubscribeOptions.LATEST, second).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 2, 4), 0);
        RelayFixture.await(() -> first.normalObjects() == 2, "2 objects");

        // alias misuse closes only that session: UNKNOWN_AUTH_TOKEN_ALIAS (0x17), DUPLICATE_AUTH_TOKEN_ALIAS (0x14)
        viewer.requestTokens(List.of(new TokenRef(TokenRef.Kind.USE_ALIAS, 99, 0, null)));
        viewer.subscribe(BOB, VIDEO, SubscribeOptions.LATEST, new RelayEndToEndTest.Received());
        assertThat(viewer.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(0x17);

        final MoqClient twice = MoqClient.connect(config(draft)).get(10, TimeUnit.SECONDS);
        twice.requestTokens(List.of(new TokenRef(TokenRef.Kind.REGISTER, 1, 0, Bytes.utf8(token)),
            new TokenRef(TokenRef.Kind.REGISTER, 1, 0, Bytes.utf8(token))));
        twice.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, new RelayEndToEndTest.Received());
        assertThat(twice.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(0x14);

        // the publisher's session carried on
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 1, 5), 1);
        assertThat(track.subscriberCount()).isGreaterThanOrEqualTo(0);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void anExpiringGrantEndsOnlyWhatItAuthorized(final Draft draft) throws Exception
    {
        final MoqClient publisher = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of(""), List.of()));
        publisher.publishNamespace(ALICE).get(5, TimeUnit.SECONDS);
        publisher.publishNamespace(BOB).get(5, TimeUnit.SECONDS);
        final TrackPublisher a = publisher.track(ALICE, VIDEO, 100);
        final TrackPublisher b = publisher.track(BOB, VIDEO, 100);

        // the session's own token reads room/alice forever; a request token reads room/bob for ~2 s
        final MoqClient viewer = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of(), List.of("alice")));
        final RelayEndToEndTest.Received fromAlice = new RelayEndToEndTest.Received();
        viewer.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, fromAlice).get(5, TimeUnit.SECONDS);
        final long expiry = (System.currentTimeMillis() / 1000 + 3) * 1000;
        viewer.requestTokens(List.of(TokenRef.useValue(Credential.jwt(TokenMinter.jwt(es256, "room", List.of(),
            List.of("bob"), -1, expiry, System.currentTimeMillis())))));
        final RelayEndToEndTest.Received fromBob = new RelayEndToEndTest.Received();
        viewer.subscribe(BOB, VIDEO, SubscribeOptions.LATEST, fromBob).get(5, TimeUnit.SECONDS);
        viewer.requestTokens(List.of());
        a.firstSubscriber().get(5, TimeUnit.SECONDS);
        b.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(a, RelayEndToEndTest.script(1, 2, 6), 0);
        RelayEndToEndTest.publishGroups(b, RelayEndToEndTest.script(1, 2, 7), 0);
        RelayFixture.await(() -> fromAlice.normalObjects() == 2 && fromBob.normalObjects() == 2, "both tracks");

        // PUBLISH_DONE UNAUTHORIZED (0x1) for room/bob at the expiry, and nothing else ends
        assertThat(fromBob.done.get(10, TimeUnit.SECONDS)).isEqualTo(0x1L);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(expiry);
        RelayEndToEndTest.publishGroups(a, RelayEndToEndTest.script(1, 2, 8), 1);
        RelayFixture.await(() -> fromAlice.normalObjects() == 4, "room/alice goes on");
        assertThat(fromAlice.done).isNotDone();
        assertThat(viewer.closed()).isNotDone();
        // a new request with the expired token: EXPIRED_AUTH_TOKEN (draft 18 0x5, draft 14 0x12)
        viewer.requestTokens(List.of(TokenRef.useValue(Credential.jwt(TokenMinter.jwt(es256, "room", List.of(),
            List.of("bob"), -1, expiry, expiry - 10_000)))));
        assertThat(rejection(viewer.subscribe(BOB, VIDEO, SubscribeOptions.LATEST,
            new RelayEndToEndTest.Received()))).isEqualTo(draft == Draft.DRAFT_18 ? 0x5 : 0x12);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void anExpiringPutGrantWithdrawsOnlyItsNamespace(final Draft draft) throws Exception
    {
        // the session's token publishes room/alice forever; a request token publishes room/bob for ~2 s
        final MoqClient publisher = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of("alice"), List.of()));
        final long expiry = (System.currentTimeMillis() / 1000 + 3) * 1000;
        publisher.requestTokens(List.of(TokenRef.useValue(Credential.jwt(TokenMinter.jwt(es256, "room",
            List.of("bob"), List.of(), -1, expiry, System.currentTimeMillis())))));
        publisher.publishNamespace(BOB).get(5, TimeUnit.SECONDS);
        publisher.requestTokens(List.of());
        publisher.publishNamespace(ALICE).get(5, TimeUnit.SECONDS);
        final TrackPublisher a = publisher.track(ALICE, VIDEO, 100);
        assertThat(relay.relay.isPublished(BOB)).isTrue();

        final MoqClient viewer = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of(), List.of("")));
        final RelayEndToEndTest.Received fromAlice = new RelayEndToEndTest.Received();
        viewer.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, fromAlice).get(5, TimeUnit.SECONDS);
        a.firstSubscriber().get(5, TimeUnit.SECONDS);

        // at the expiry room/bob is withdrawn (draft 18: its request stream reset; draft 14:
        // PUBLISH_NAMESPACE_CANCEL), and nothing else of the session ends
        RelayFixture.await(() -> !relay.relay.isPublished(BOB), "room/bob withdrawn at its grant's expiry");
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(expiry);
        assertThat(relay.relay.isPublished(ALICE)).isTrue();
        RelayEndToEndTest.publishGroups(a, RelayEndToEndTest.script(1, 2, 9), 0);
        RelayFixture.await(() -> fromAlice.normalObjects() == 2, "room/alice goes on");
        assertThat(publisher.closed()).isNotDone();
        assertThat(viewer.closed()).isNotDone();
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void anExpiringPutGrantEndsOnlyTheTrackItsPublishOffered(final Draft draft) throws Exception
    {
        // the session's token publishes room/alice forever; a request token PUBLISHes room/bob/video for ~2 s
        final MoqClient publisher = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of("alice"), List.of()));
        publisher.publishNamespace(ALICE).get(5, TimeUnit.SECONDS);
        final TrackPublisher a = publisher.track(ALICE, VIDEO, 100);
        final TrackPublisher b = publisher.track(BOB, VIDEO, 100);
        final long expiry = (System.currentTimeMillis() / 1000 + 3) * 1000;
        publisher.requestTokens(List.of(TokenRef.useValue(Credential.jwt(TokenMinter.jwt(es256, "room",
            List.of("bob"), List.of(), -1, expiry, System.currentTimeMillis())))));
        b.publish().get(5, TimeUnit.SECONDS);
        publisher.requestTokens(List.of());

        final MoqClient viewer = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of(), List.of("")));
        final RelayEndToEndTest.Received fromAlice = new RelayEndToEndTest.Received();
        final RelayEndToEndTest.Received fromBob = new RelayEndToEndTest.Received();
        viewer.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, fromAlice).get(5, TimeUnit.SECONDS);
        viewer.subscribe(BOB, VIDEO, SubscribeOptions.LATEST, fromBob).get(5, TimeUnit.SECONDS);
        a.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(a, RelayEndToEndTest.script(1, 2, 10), 0);
        RelayEndToEndTest.publishGroups(b, RelayEndToEndTest.script(1, 2, 11), 0);
        RelayFixture.await(() -> fromAlice.normalObjects() == 2 && fromBob.normalObjects() == 2, "both tracks");

        // at the expiry the PUBLISHed track ends for its subscribers (PUBLISH_DONE UNAUTHORIZED), nothing else
        assertThat(fromBob.done.get(10, TimeUnit.SECONDS)).isEqualTo(0x1L);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(expiry);
        RelayEndToEndTest.publishGroups(a, RelayEndToEndTest.script(1, 2, 12), 1);
        RelayFixture.await(() -> fromAlice.normalObjects() == 4, "room/alice goes on");
        assertThat(fromAlice.done).isNotDone();
        assertThat(publisher.closed()).isNotDone();
        assertThat(viewer.closed()).isNotDone();
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void commonAccessTokens(final Draft draft) throws Exception
    {
        final TrackPublisher track = alice(draft);
        final long exp = System.currentTimeMillis() + 3_600_000;
        // CLIENT_SETUP and SUBSCRIBE on room/alice
        final byte[] cat = TokenMinter.cat(hs256, List.of(new CatGrant.Scope(
            Set.of(Action.CLIENT_SETUP.catKey(), Action.SUBSCRIBE.catKey()), List.of(exact("room"), exact("alice")),
            null)), -1, exp);
        final MoqClient viewer = connectWithSetupToken(draft, Credential.cat(cat));
        assertThat(rejection(viewer.subscribe(BOB, VIDEO, SubscribeOptions.LATEST,
            new RelayEndToEndTest.Received()))).as("outside its scope").isEqualTo(0x1);
        final RelayEndToEndTest.Received received = new RelayEndToEndTest.Received();
        viewer.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 2, 9), 0);
        RelayFixture.await(() -> received.normalObjects() == 2, "2 objects");

        // without CLIENT_SETUP in any scope, the session is refused
        final byte[] noSetup = TokenMinter.cat(hs256, List.of(new CatGrant.Scope(Set.of(Action.SUBSCRIBE.catKey()),
            List.of(exact("room")), null)), -1, exp);
        assertThat(refusedSetup(config(draft).withSetupTokens(List.of(TokenRef.useValue(Credential.cat(noSetup))))))
            .isEqualTo(0x2);
        final byte[] expired = TokenMinter.cat(hs256, List.of(new CatGrant.Scope(
            Set.of(Action.CLIENT_SETUP.catKey(), Action.SUBSCRIBE.catKey()), List.of(exact("room")), null)), -1,
            System.currentTimeMillis() - 60_000);
        assertThat(refusedSetup(config(draft).withSetupTokens(List.of(TokenRef.useValue(Credential.cat(expired))))))
            .isEqualTo(0x18);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void discoveryRevealsOnlyWhatTheTokenMayGet(final Draft draft) throws Exception
    {
        final MoqClient publisher = connectWithPath(draft, "/moq?jwt=" + jwt("room", List.of(""), List.of()));
        publisher.publishNamespace(ALICE).get(5, TimeUnit.SECONDS);
        publisher.publishNamespace(BOB).get(5, TimeUnit.SECONDS);

        // may get room/alice only: discovery of room reveals room/alice, not room/bob; discovery of other is refused
        try (RawPeer peer = new RawPeer(relay, certDir, draft, null,
            "/moq?jwt=" + jwt("room", List.of(), List.of("alice"))))
        {
            if (draft == Draft.DRAFT_18)
            {
                final RecordedMessages room = new RecordedMessages(moq.relay.wire.d18.Draft18ControlCodec.INSTANCE);
                peer.connection.channel().createStream(io.netty.handler.codec.quic.QuicStreamType.BIDIRECTIONAL,
                    room).get(5, TimeUnit.SECONDS).writeAndFlush(peer.encode(new moq.relay.wire.d18.SubscribeNamespace(
                        peer.nextRequestId(), TrackNamespace.of("room"), moq.relay.wire.d18.MessageParameters.EMPTY)));
                final RecordedMessages other = new RecordedMessages(moq.relay.wire.d18.Draft18ControlCodec.INSTANCE);
                peer.connection.channel().createStream(io.netty.handler.codec.quic.QuicStreamType.BIDIRECTIONAL,
                    other).get(5, TimeUnit.SECONDS).writeAndFlush(peer.encode(
                        new moq.relay.wire.d18.SubscribeNamespace(peer.nextRequestId(), TrackNamespace.of("other"),
                            moq.relay.wire.d18.MessageParameters.EMPTY)));
                RelayFixture.await(() -> room.count() >= 2 && other.count() >= 1, "discovery answers");
                Thread.sleep(200); // room/bob would have been announced by now
                assertThat(room.decoded()).containsExactly(moq.relay.wire.d18.RequestOk.EMPTY,
                    new moq.relay.wire.d18.Namespace(TrackNamespace.of("alice")));
                assertThat(((moq.relay.wire.d18.RequestError)other.decoded().get(0)).errorCode()).isEqualTo(0x1);
            }
            else
            {
                final long room = peer.nextRequestId();
                peer.send(new moq.relay.wire.d14.SubscribeNamespace(room, TrackNamespace.of("room"),
                    moq.relay.wire.d14.MessageParameters.EMPTY));
                final long other = peer.nextRequestId();
                peer.send(new moq.relay.wire.d14.SubscribeNamespace(other, TrackNamespace.of("other"),
                    moq.relay.wire.d14.MessageParameters.EMPTY));
                RelayFixture.await(() -> peer.control.first(moq.relay.wire.d14.SubscribeNamespaceError.class) != null
                    && peer.control.first(moq.relay.wire.d14.PublishNamespace.class) != null, "discovery answers");
                Thread.sleep(200);
                assertThat(peer.control.decoded().stream().filter(m -> m instanceof moq.relay.wire.d14.PublishNamespace)
                    .map(m -> ((moq.relay.wire.d14.PublishNamespace)m).trackNamespace()).toList())
                    .containsExactly(ALICE);
                final moq.relay.wire.d14.SubscribeNamespaceError error =
                    peer.control.first(moq.relay.wire.d14.SubscribeNamespaceError.class);
                assertThat(error.requestId()).isEqualTo(other);
                assertThat(error.errorCode()).isEqualTo(0x1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18"})
    void updateTokensGoThroughTheCacheAndAreAuthorizedAsTheirRequest(final Draft draft) throws Exception
    {
        final TrackPublisher track = alice(draft);
        try (RawPeer peer = new RawPeer(relay, certDir, draft, null,
            "/moq?jwt=" + jwt("room", List.of(), List.of("alice"))))
        {
            if (draft == Draft.DRAFT_18)
            {
                final long id = peer.nextRequestId();
                final RecordedMessages answers = new RecordedMessages(moq.relay.wire.d18.Draft18ControlCodec.INSTANCE);
                final io.netty.handler.codec.quic.QuicStreamChannel stream = peer.connection.channel().createStream(
                    io.netty.handler.codec.quic.QuicStreamType.BIDIRECTIONAL, answers).get(5, TimeUnit.SECONDS);
                stream.writeAndFlush(peer.encode(new moq.relay.wire.d18.Subscribe(id, ALICE, VIDEO,
                    moq.relay.wire.d18.MessageParameters.EMPTY)));
                RelayFixture.await(() -> answers.count() == 1, "SUBSCRIBE_OK");
                // an update with a token that does not verify: REQUEST_ERROR MALFORMED_AUTH_TOKEN, nothing else
                stream.writeAndFlush(peer.encode(new moq.relay.wire.d18.RequestUpdate(peer.nextRequestId(),
                    moq.relay.wire.d18.MessageParameters.of(new moq.relay.wire.d18.Parameter.AuthorizationToken(
                        moq.relay.wire.param.AuthToken.useValue(0, Bytes.utf8("not.a.jwt")))))));
                RelayFixture.await(() -> answers.count() == 2, "the update's answer");
                assertThat(((moq.relay.wire.d18.RequestError)answers.decoded().get(1)).errorCode()).isEqualTo(0x4);
                assertThat(peer.connection.peerClose()).isNotDone();
                // an update using an alias never registered closes the session: UNKNOWN_AUTH_TOKEN_ALIAS
                stream.writeAndFlush(peer.encode(new moq.relay.wire.d18.RequestUpdate(peer.nextRequestId(),
                    moq.relay.wire.d18.MessageParameters.of(new moq.relay.wire.d18.Parameter.AuthorizationToken(
                        moq.relay.wire.param.AuthToken.useAlias(42))))));
            }
            else
            {
                peer.subscribeLargestObject(ALICE, VIDEO);
                assertThat(peer.control.first(moq.relay.wire.d14.SubscribeOk.class)).isNotNull();
                final long update = peer.nextRequestId();
                peer.send(new moq.relay.wire.d14.SubscribeUpdate(update, update - 2,
                    new moq.relay.wire.Location(0, 0), 0, 128, true, new moq.relay.wire.d14.MessageParameters(
                        List.of(moq.relay.wire.KeyValuePair.ofBytes(moq.relay.wire.d14.MessageParameters.AUTHORIZATION_TOKEN,
                            moq.relay.wire.d14.AuthorizationToken.useAlias(42).encode())))));
            }
            assertThat((long)peer.connection.peerClose().get(10, TimeUnit.SECONDS).error()).isEqualTo(0x17);
        }
        assertThat(track.subscriberCount()).isGreaterThanOrEqualTo(0);
    }

    private static CatGrant.Match exact(final String field)
    {
        return new CatGrant.Match(CatGrant.MatchType.EXACT, field.getBytes(StandardCharsets.UTF_8));
    }

    /** A fetch listener that keeps nothing. */
    static final class CollectingFetch implements moq.relay.client.FetchListener
    {
        @Override
        public void onObject(final moq.relay.client.ReceivedObject o)
        {
        }
    }
}
