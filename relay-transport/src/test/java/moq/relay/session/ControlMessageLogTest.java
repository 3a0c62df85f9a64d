package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.nimbusds.jose.jwk.JWK;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import moq.relay.auth.Credential;
import moq.relay.auth.Grant;
import moq.relay.auth.KeyGenerator;
import moq.relay.auth.TokenMinter;
import moq.relay.auth.TokenRef;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.LogCapture;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LiteVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The operator's control message log (issue #15 item 4): with logger {@code moq.relay.control} at DEBUG, a real
 * session over raw QUIC logs one decoded line per control message it receives ({@code <}) and sends ({@code >}),
 * with its session id, on drafts 14, 18 and 20 and on moq-lite; the JWTs the peers present (SETUP PATH's
 * {@code ?jwt=}, SETUP's and requests' AUTHORIZATION TOKENs) never appear.
 */
class ControlMessageLogTest
{
    private static final Pattern LINE = Pattern.compile("session (\\d+) ([<>]) (\\w+)\\[.*");
    private static final TrackNamespace ALICE = TrackNamespace.of("room", "alice");
    private static final Bytes VIDEO = Bytes.utf8("video");

    @TempDir
    static Path certDir;
    @TempDir
    static Path keyDir;
    private static JWK es256;

    @RegisterExtension
    final LogCapture controlLog = new LogCapture("moq.relay.control");

    private final Logger logger = (Logger)LoggerFactory.getLogger("moq.relay.control");
    private Level level;
    private RelayFixture relay;

    @BeforeAll
    static void keys() throws Exception
    {
        es256 = KeyGenerator.generate("ES256", "k1");
        Files.writeString(keyDir.resolve("k1.jwk"), es256.toPublicJWK().toJSONString(), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void debug()
    {
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stop()
    {
        logger.setLevel(level);
        if (relay != null)
        {
            relay.close();
        }
    }

    private static String jwt(final List<String> put, final List<String> get) throws Exception
    {
        return TokenMinter.jwt(es256, "room", put, get, -1, Grant.NEVER, System.currentTimeMillis());
    }

    /** One captured line: session id, direction, message record. */
    private record Line(long session, String direction, String message, String text)
    {
    }

    private List<Line> lines()
    {
        return controlLog.messages().stream().map(m ->
        {
            final Matcher matcher = LINE.matcher(m);
            assertThat(matcher.matches()).as("line format: %s", m).isTrue();
            return new Line(Long.parseLong(matcher.group(1)), matcher.group(2), matcher.group(3), m);
        }).toList();
    }

    private long sessionOf(final String direction, final String message)
    {
        return lines().stream().filter(l -> l.direction.equals(direction) && l.message.equals(message)).findFirst()
            .orElseThrow(() -> new AssertionError("no " + direction + " " + message + " in " + controlLog.messages()))
            .session;
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18", "DRAFT_20"})
    void everyControlMessageBothWaysWithItsSessionAndNoToken(final Draft draft) throws Exception
    {
        relay = new RelayFixture(certDir, Map.of(RelayConfiguration.AUTH_ENABLED_PROP_NAME, "true",
            RelayConfiguration.AUTH_KEYS_PROP_NAME, keyDir.resolve("k1.jwk").toString()));
        final String pathToken = jwt(List.of("alice"), List.of());
        final String setupToken = jwt(List.of(), List.of(""));
        final String requestToken = jwt(List.of(), List.of("alice"));
        final ClientConfig config = ClientConfig.of("127.0.0.1", relay.server.localAddress().getPort(), draft,
            ClientTrust.insecure());

        final MoqClient publisher = MoqClient.connect(config.withPath("/moq?jwt=" + pathToken))
            .get(10, TimeUnit.SECONDS);
        publisher.publishNamespace(ALICE).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(ALICE, VIDEO, 100);
        final MoqClient subscriber = MoqClient.connect(config.withSetupTokens(List.of(TokenRef.useValue(
            Credential.jwt(setupToken))))).get(10, TimeUnit.SECONDS);
        subscriber.requestTokens(List.of(TokenRef.useValue(Credential.jwt(requestToken))));
        final RelayEndToEndTest.Received received = new RelayEndToEndTest.Received();
        subscriber.subscribe(ALICE, VIDEO, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(2, 3, 1), 0);
        RelayFixture.await(() -> received.normalObjects() == 6, "6 objects");

        final String setup = draft == Draft.DRAFT_14 ? "ClientSetup" : "Setup";
        final String reply = draft == Draft.DRAFT_14 ? "ServerSetup" : "Setup";
        final long subscriberSession = sessionOf("<", "Subscribe");
        final long publisherSession = sessionOf("<", "PublishNamespace");
        assertThat(subscriberSession).isNotEqualTo(publisherSession);
        final List<Line> lines = lines();
        // both directions, each with its session
        assertThat(lines).anyMatch(l -> l.session == subscriberSession && l.direction.equals("<") &&
            l.message.equals(setup));
        assertThat(lines).anyMatch(l -> l.session == subscriberSession && l.direction.equals(">") &&
            l.message.equals(reply));
        assertThat(lines).anyMatch(l -> l.session == subscriberSession && l.direction.equals(">") &&
            l.message.equals("SubscribeOk"));
        assertThat(lines).anyMatch(l -> l.session == publisherSession && l.direction.equals(">") &&
            l.message.equals("Subscribe")); // the relay's SUBSCRIBE upstream
        assertThat(lines).anyMatch(l -> l.session == publisherSession && l.direction.equals("<") &&
            l.message.equals("SubscribeOk"));
        // the tokens were on the wire, and are redacted in the lines that carried them
        assertThat(lines).anyMatch(l -> l.session == publisherSession && l.message.equals(setup) &&
            l.text.contains("jwt=<redacted>"));
        assertThat(lines).anyMatch(l -> l.session == subscriberSession && l.message.equals(setup) &&
            l.text.contains("<redacted "));
        assertThat(lines).anyMatch(l -> l.session == subscriberSession && l.message.equals("Subscribe") &&
            l.text.contains("<redacted "));
        for (final String token : List.of(pathToken, setupToken, requestToken))
        {
            final String signature = token.substring(token.lastIndexOf('.') + 1);
            assertThat(controlLog.messages()).noneMatch(m -> m.contains(signature));
        }
        publisher.close();
        subscriber.close();
    }

    @Test
    void liteSessionLogsWhatItSendsAndReceives() throws Exception
    {
        relay = new RelayFixture(certDir, Map.of());
        try (LiteTestPeer peer = new LiteTestPeer(certDir, relay.server.localAddress().getPort(),
            LiteVersion.LITE_04))
        {
            RelayFixture.await(() -> peer.relayStreams.stream().anyMatch(c -> c.first(AnnouncePlease.class) != null),
                "the relay's ANNOUNCE_PLEASE");
            peer.relayStreams.stream().filter(c -> c.first(AnnouncePlease.class) != null).findFirst().orElseThrow()
                .write(new Announce(AnnounceStatus.ACTIVE, "room/alice", List.of(7L)));
            RelayFixture.await(() -> relay.relay.isPublished(ALICE), "room/alice published");
            RelayFixture.await(() -> controlLog.messages().stream().anyMatch(m -> m.contains("< Announce[")),
                "the received ANNOUNCE logged");
            final long session = sessionOf(">", "AnnouncePlease");
            assertThat(sessionOf("<", "Announce")).isEqualTo(session);
        }
    }
}
