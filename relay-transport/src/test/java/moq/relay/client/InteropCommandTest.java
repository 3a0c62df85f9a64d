package moq.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import moq.relay.ServedDrafts;
import moq.relay.cli.InteropCommand;
import moq.relay.cli.Main;
import moq.relay.transport.TestServers;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.SessionFactories;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** The {@code interop} subcommand, in-process, against {@link MoqTestPeer} acting as a relay (or failing to). */
class InteropCommandTest
{
    private static final TrackNamespace TEST_NAMESPACE = TrackNamespace.of("moq-test", "interop");

    @TempDir
    Path dir;

    private final MoqTestPeer peer = new MoqTestPeer();
    private final Map<String, String> env = new HashMap<>();
    private RelayServer server;
    private String tap;

    @BeforeEach
    void start()
    {
        server = TestServers.start(TestServers.settings(1, Duration.ofMillis(200)), TestServers.certificate(dir),
            SessionFactories.builder().register(Draft.DRAFT_18.alpn(), peer).register(Draft.DRAFT_20.alpn(), peer)
                .register(Draft.DRAFT_14.alpn(), peer)
                .build());
        env.put("RELAY_URL", "moqt://127.0.0.1:" + server.localAddress().getPort());
        env.put("TLS_DISABLE_VERIFY", "1");
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private int interop(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int code = new CommandLine(new InteropCommand(env, new PrintStream(out, true, StandardCharsets.UTF_8)))
            .execute(args);
        tap = out.toString(StandardCharsets.UTF_8);
        return code;
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void allSixCasesPassAgainstARelay(final Draft draft)
    {
        peer.relay = true;
        assertThat(interop("--draft", String.valueOf(draft.number()))).as(tap).isZero();
        final List<String> lines = tap.lines().toList();
        assertThat(lines.get(0)).isEqualTo("TAP version 14");
        assertThat(lines).contains("# Draft: draft-" + draft.number(), "1..6", "ok 1 - setup-only",
            "ok 2 - announce-only", "ok 3 - publish-namespace-done", "ok 4 - subscribe-error",
            "ok 5 - announce-subscribe", "ok 6 - subscribe-before-announce",
            "      alpn: \"" + draft.alpn() + "\"");
        assertThat(lines).noneMatch(l -> l.startsWith("not ok"));
        // subscribe-error and (without a held SUBSCRIBE) subscribe-before-announce got REQUEST_ERROR
        assertThat(lines.stream().filter(l -> l.startsWith("  received: \"REQUEST_ERROR"))).hasSize(2);
        assertThat(peer.withdrawnNamespaces).containsExactly(TEST_NAMESPACE);
        assertThat(peer.forwardedSubscribes).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void subscribeBeforeAnnounceGetsSubscribeOkFromARelayThatHoldsTheSubscribe(final Draft draft)
    {
        peer.relay = true;
        peer.holdUnroutedSubscribes = true;
        env.put("TESTCASE", "subscribe-before-announce");
        env.put("MOQT_DRAFT", "draft-" + draft.number());
        assertThat(interop()).as(tap).isZero();
        assertThat(tap).contains("1..1\nok 1 - subscribe-before-announce\n", "  received: \"SUBSCRIBE_OK\"",
            "    subscriber:", "    publisher:");
        assertThat(peer.forwardedSubscribes).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void aRelayThatNeverAnswersFailsTheCaseWithinItsTimeout(final Draft draft)
    {
        peer.silent = true;
        final long start = System.nanoTime();
        assertThat(interop("--testcase", "announce-only", "--draft", String.valueOf(draft.number()))).isEqualTo(1);
        final long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tap).contains("not ok 1 - announce-only\n  ---\n  duration_ms: ", "  expected: \"REQUEST_OK\"",
            "  received: \"timeout\"", "  message: \"no REQUEST_OK within 2000 ms\"", "  ...\n");
        final long reported = Long.parseLong(tap.lines().filter(l -> l.startsWith("  duration_ms: ")).findFirst()
            .orElseThrow().substring(15));
        assertThat(reported).isBetween(2000L, 4000L);
        assertThat(millis).isLessThan(8000);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void subscribeErrorFailsWhenTheRelayAcceptsAnUnknownTrack(final Draft draft)
    {
        peer.holdSubscriptions = true;
        env.put("TESTCASE", "subscribe-error");
        assertThat(interop("--draft", String.valueOf(draft.number()))).isEqualTo(1);
        assertThat(tap).contains("not ok 1 - subscribe-error", "  expected: \"REQUEST_ERROR\"",
            "  received: \"SUBSCRIBE_OK\"", "  message: \"unexpected success");
    }

    @Test
    void anUnreachableRelayFailsSetupWithinItsTimeout() throws Exception
    {
        final int port;
        try (DatagramSocket unused = new DatagramSocket(0))
        {
            port = unused.getLocalPort();
        }
        final long start = System.nanoTime();
        assertThat(interop("--url", "moqt://127.0.0.1:" + port, "--testcase", "setup-only")).isEqualTo(1);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(6000);
        assertThat(tap).contains("not ok 1 - setup-only", "  expected: \"SETUP\"");
    }

    @Test
    void explicitOptionsWinOverTheEnvironment()
    {
        env.put("TESTCASE", "no-such-case");
        env.put("MOQT_DRAFT", "draft-16");
        assertThat(interop("--testcase", "setup-only", "--draft", "14")).as(tap).isZero();
        assertThat(tap).contains("# Draft: draft-14", "1..1", "ok 1 - setup-only");
        assertThat(peer.received.get(0)).isInstanceOf(moq.relay.wire.d14.ClientSetup.class);
    }

    @Test
    void anUnknownTestCaseIsNotSupported()
    {
        env.put("TESTCASE", "publish-track-only");
        assertThat(interop()).isEqualTo(127);
        assertThat(tap).startsWith("TAP version 14\n")
            .contains("1..0 # SKIP test case 'publish-track-only' not supported by this client");
    }

    @Test
    void anUnsupportedDraftIsNotSupported()
    {
        env.put("MOQT_DRAFT", "draft-16");
        assertThat(interop()).isEqualTo(127);
        assertThat(tap).contains("1..0 # SKIP draft draft-16 not supported by this client");
    }

    @Test
    void webTransportUrlsAreSkipped()
    {
        env.put("RELAY_URL", "https://relay:4443");
        assertThat(interop()).isEqualTo(127);
        assertThat(tap).contains("1..6", "ok 1 - setup-only # SKIP WebTransport not supported by this client",
            "ok 6 - subscribe-before-announce # SKIP WebTransport not supported by this client");
    }

    @Test
    void listPrintsOneCasePerLine()
    {
        assertThat(interop("--list")).isZero();
        assertThat(tap.lines().toList()).containsExactly("setup-only", "announce-only", "publish-namespace-done",
            "subscribe-error", "announce-subscribe", "subscribe-before-announce");
        assertThat(Main.run("interop", "--list")).isZero();
    }
}
