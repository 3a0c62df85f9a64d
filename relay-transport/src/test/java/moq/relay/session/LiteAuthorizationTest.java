package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.auth.Grant;
import moq.relay.auth.KeyGenerator;
import moq.relay.auth.TokenMinter;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.RequestErrorCode;
import moq.relay.transport.TestServers;
import moq.relay.transport.webtransport.WebTransportTestClient;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnounceOk;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Setup;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeOk;
import moq.relay.wire.lite.SubscribeStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * moq-lite with authorization on (issue #15): lite sessions are served and check tokens as moq-dev's relay does. Over
 * WebTransport the URL's {@code ?jwt=} opens the session (a forged one closes it with UNAUTHORIZED); raw QUIC lite-05
 * reads the same from its SETUP's Path; raw QUIC lite-03/04 (no SETUP, so no path) gets the anonymous prefixes only. Announces and subscribes are scoped: a
 * broadcast the session may not put is not published, ANNOUNCE_PLEASE reveals only what it may get, a SUBSCRIBE
 * outside its get is reset with UNAUTHORIZED, while the session carries on.
 */
class LiteAuthorizationTest
{
    private static final String TRACK = "video";

    @TempDir
    static Path certDir;
    @TempDir
    static Path keyDir;
    private static JWK es256;
    private static JWK stranger;

    private RelayFixture relay;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void keys() throws Exception
    {
        es256 = KeyGenerator.generate("ES256", "k1");
        stranger = KeyGenerator.generate("ES256", "k1");
        Files.writeString(keyDir.resolve("k1.jwk"), es256.toPublicJWK().toJSONString(), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void start()
    {
        relay = new RelayFixture(certDir, Map.of(
            RelayConfiguration.AUTH_ENABLED_PROP_NAME, "true",
            RelayConfiguration.AUTH_KEYS_PROP_NAME, keyDir.resolve("k1.jwk").toString(),
            RelayConfiguration.AUTH_PUBLIC_GET_PROP_NAME, "open",
            RelayConfiguration.AUTH_PUBLIC_PUT_PROP_NAME, "pub"));
    }

    @AfterEach
    void stop() throws Exception
    {
        for (final AutoCloseable c : closeables)
        {
            c.close();
        }
        relay.close();
    }

    private static String jwt(final JWK key, final String root, final List<String> put, final List<String> get)
        throws Exception
    {
        return TokenMinter.jwt(key, root, put, get, -1, Grant.NEVER, System.currentTimeMillis());
    }

    private LiteTestPeer litePeer() throws Exception
    {
        final LiteTestPeer p = new LiteTestPeer(certDir, relay.server.localAddress().getPort(), LiteVersion.LITE_04);
        closeables.add(p);
        return p;
    }

    /** A MoQT publisher of {@code namespaces}, authorized by a put token in its SETUP PATH. */
    private void moqtPublisher(final TrackNamespace... namespaces) throws Exception
    {
        final MoqClient publisher = MoqClient.connect(ClientConfig.of("127.0.0.1",
            relay.server.localAddress().getPort(), Draft.DRAFT_18, ClientTrust.insecure())
            .withPath("/moq?jwt=" + jwt(es256, "", List.of("room", "open"), List.of()))).get(10, TimeUnit.SECONDS);
        closeables.add(publisher::close);
        for (final TrackNamespace ns : namespaces)
        {
            publisher.publishNamespace(ns).get(5, TimeUnit.SECONDS);
            publisher.track(ns, moq.relay.wire.Bytes.utf8(TRACK), 100);
        }
    }

    @Test
    void rawQuicLiteGetsTheAnonymousPrefixesOnly() throws Exception
    {
        moqtPublisher(TrackNamespace.of("room", "carol"), TrackNamespace.of("open", "dave"));
        final LiteTestPeer peer = litePeer();

        // Its broadcasts: pub/ is publicly writable, room/ is not.
        RelayFixture.await(() -> peer.relayStreams.stream().anyMatch(c -> c.first(AnnouncePlease.class) != null),
            "the relay's ANNOUNCE_PLEASE");
        final LiteTestPeer.Control announces = peer.relayStreams.stream()
            .filter(c -> c.first(AnnouncePlease.class) != null).findFirst().orElseThrow();
        announces.write(new Announce(AnnounceStatus.ACTIVE, "room/bob", List.of(7L)));
        announces.write(new Announce(AnnounceStatus.ACTIVE, "pub/alice", List.of(7L)));
        RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of("pub", "alice")), "pub/alice published");
        assertThat(relay.relay.isPublished(TrackNamespace.of("room", "bob"))).as("room/bob, not put").isFalse();
        announces.write(new Announce(AnnounceStatus.ENDED, "room/bob", List.of(7L))); // not an error: ignored

        // Discovery reveals only open/ (publicly readable).
        final LiteTestPeer.Control discovered = peer.open(LiteStreamSide.ANNOUNCE_REPLY,
            peer.opener(LiteStreamType.ANNOUNCE, new AnnouncePlease("")));
        RelayFixture.await(() -> discovered.first(Announce.class) != null, "an ANNOUNCE");
        Thread.sleep(200);
        assertThat(discovered.messages).filteredOn(Announce.class::isInstance).map(m -> ((Announce)m).suffix())
            .containsExactly("open/dave");

        // SUBSCRIBE outside get: reset with UNAUTHORIZED; inside: SUBSCRIBE_OK; the session carries on.
        final LiteTestPeer.Control refused = peer.open(LiteStreamSide.SUBSCRIBE_REPLY, peer.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(1, "room/carol", TRACK, 10, true, 0, 0, 0)));
        refused.ended.get(5, TimeUnit.SECONDS);
        assertThat(resetCode(refused.error)).isEqualTo(RequestErrorCode.UNAUTHORIZED.code());
        final LiteTestPeer.Control allowed = peer.open(LiteStreamSide.SUBSCRIBE_REPLY, peer.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(2, "open/dave", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> allowed.first(SubscribeOk.class) != null, "SUBSCRIBE_OK of open/dave");
        assertThat(relay.relay.isPublished(TrackNamespace.of("pub", "alice"))).isTrue();
    }

    /**
     * Raw-QUIC lite-05 (issue #17): the SETUP's Path carries the connection path and its {@code ?jwt=}, read as a
     * WebTransport session's URL. With a token the publisher may publish under its put and nothing else; with none,
     * only the anonymous prefixes. The peer's SUBSCRIBE sent before its SETUP waits for it (here: inside the token's
     * get, so it is answered rather than refused as anonymous).
     */
    @Test
    void rawQuicLite05ReadsTheTokenInItsSetupPath() throws Exception
    {
        moqtPublisher(TrackNamespace.of("room", "carol"));
        final String token = jwt(es256, "room", List.of("alice"), List.of("carol"));
        final LiteTestPeer withToken = lite05Peer();
        final LiteTestPeer.Control early = withToken.open(LiteStreamSide.SUBSCRIBE_REPLY, withToken.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(1, "room/carol", TRACK, 10, true, 0, 0, 0)));
        Thread.sleep(100);
        withToken.sendSetup(new Setup(List.of(new Setup.Parameter(Setup.PATH,
            moq.relay.wire.Bytes.utf8("/moq/room?jwt=" + token)))));
        announce(withToken, "room/alice", "room/bob", "other/erin");
        RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of("room", "alice")),
            "room/alice published under the SETUP Path's token");
        Thread.sleep(200);
        assertThat(relay.relay.isPublished(TrackNamespace.of("room", "bob"))).as("outside the token's put").isFalse();
        assertThat(relay.relay.isPublished(TrackNamespace.of("other", "erin"))).as("neither the token's nor anonymous")
            .isFalse();
        RelayFixture.await(() -> early.first(SubscribeStart.class) != null || early.ended.isDone(),
            "an answer to the SUBSCRIBE sent before the SETUP");
        assertThat(early.error).as("inside the token's get: not refused").isNull();

        final LiteTestPeer anonymous = lite05Peer();
        anonymous.sendSetup(new Setup(List.of(new Setup.Parameter(Setup.ORIGIN, moq.relay.wire.Bytes.wrap(
            new byte[] {5})))));
        announce(anonymous, "room/dave", "pub/frank");
        RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of("pub", "frank")), "pub/frank published");
        Thread.sleep(200);
        assertThat(relay.relay.isPublished(TrackNamespace.of("room", "dave"))).as("no token: anonymous only")
            .isFalse();
        assertThat(withToken.connection.channel().isActive()).isTrue();
        assertThat(anonymous.connection.channel().isActive()).isTrue();
    }

    private LiteTestPeer lite05Peer() throws Exception
    {
        final LiteTestPeer p = new LiteTestPeer(certDir, relay.server.localAddress().getPort(), LiteVersion.LITE_05);
        closeables.add(p);
        return p;
    }

    /** Answers the relay's ANNOUNCE_PLEASE (lite-05: ANNOUNCE_OK first) with {@code paths} active. */
    private static void announce(final LiteTestPeer peer, final String... paths) throws Exception
    {
        RelayFixture.await(() -> peer.relayStreams.stream().anyMatch(c -> c.first(AnnouncePlease.class) != null),
            "the relay's ANNOUNCE_PLEASE");
        final LiteTestPeer.Control announces = peer.relayStreams.stream()
            .filter(c -> c.first(AnnouncePlease.class) != null).findFirst().orElseThrow();
        announces.write(new AnnounceOk(7, paths.length));
        for (final String path : paths)
        {
            announces.write(new Announce(AnnounceStatus.ACTIVE, path, List.of()));
        }
    }

    @Test
    void setupPathAcceptsAWholeUrl()
    {
        assertThat(moq.relay.session.lite.LiteSession.setupPathAndQuery("moql://h:1/moq/room?jwt=x"))
            .isEqualTo("/moq/room?jwt=x");
    }

    @Test
    void webTransportLiteChecksTheUrlsJwt() throws Exception
    {
        final String good = jwt(es256, "room", List.of("alice"), List.of(""));
        final String forged = jwt(stranger, "room", List.of("alice"), List.of(""));
        final WebTransportTestClient wt = new WebTransportTestClient(TestServers.certificate(certDir).leaf(),
            new InetSocketAddress("127.0.0.1", relay.server.localAddress().getPort()));
        closeables.add(wt);

        final WebTransportTestClient.Session refused = wt.connect("/moq/room?jwt=" + forged, null,
            "\"moq-lite-04\"");
        assertThat(refused.status()).isEqualTo("200");
        assertThat(refused.header("wt-protocol")).contains("moq-lite-04");
        RelayFixture.await(() -> refused.capsuleBytes().length > 6, "the session's close capsule");
        assertThat(closeCode(refused.capsuleBytes())).as("UNAUTHORIZED").isEqualTo(0x2);

        final WebTransportTestClient.Session accepted = wt.connect("/moq/room?jwt=" + good, null,
            "\"moq-lite-04\"");
        assertThat(accepted.status()).isEqualTo("200");
        // Live: the relay opens its Announce Stream (ANNOUNCE_PLEASE) to the peer.
        final CompletableFuture<byte[]> announceStream = wt.serverBidiStreams.poll(5, TimeUnit.SECONDS);
        assertThat(announceStream).as("the relay's Announce Stream to the accepted session").isNotNull();
        assertThat(accepted.capsuleBytes()).as("no close capsule").isEmpty();
    }

    /** The error code of a CLOSE_WEBTRANSPORT_SESSION capsule (type 0x2843, length, 32-bit code, reason). */
    private static long closeCode(final byte[] capsule)
    {
        int at = 0;
        final long[] read = new long[1];
        at = varint(capsule, at, read);
        assertThat(read[0]).as("capsule type").isEqualTo(0x2843);
        at = varint(capsule, at, read);
        return ((capsule[at] & 0xFFL) << 24) | ((capsule[at + 1] & 0xFFL) << 16) | ((capsule[at + 2] & 0xFFL) << 8) |
            (capsule[at + 3] & 0xFFL);
    }

    private static int varint(final byte[] b, final int at, final long[] out)
    {
        final int length = 1 << ((b[at] & 0xC0) >> 6);
        long v = b[at] & 0x3F;
        for (int i = 1; i < length; i++)
        {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        out[0] = v;
        return at + length;
    }

    private static long resetCode(final Throwable failure)
    {
        Throwable t = failure;
        while (t != null)
        {
            if (t instanceof io.netty.handler.codec.quic.QuicStreamResetException)
            {
                return ((io.netty.handler.codec.quic.QuicStreamResetException)t).applicationProtocolCode();
            }
            t = t.getCause();
        }
        return -1;
    }
}
