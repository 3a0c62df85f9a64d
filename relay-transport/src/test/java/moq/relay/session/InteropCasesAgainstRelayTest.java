package moq.relay.session;

import moq.relay.ServedDrafts;
import moq.relay.cli.InteropCommand;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MoQ working group interop runner's six test cases, run by our {@code interop} tool against the real relay
 * (engine + sessions + QUIC server), as the runner checks relays.
 */
class InteropCasesAgainstRelayTest
{
    @TempDir
    Path certs;

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void allSixInteropCasesPassAgainstTheRelay(final Draft draft)
    {
        try (RelayFixture fixture = new RelayFixture(certs))
        {
            final Map<String, String> env = new HashMap<>();
            env.put("RELAY_URL", "moqt://127.0.0.1:" + fixture.server.localAddress().getPort());
            env.put("TLS_DISABLE_VERIFY", "1");
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final int exit = new CommandLine(new InteropCommand(env, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .execute("--all", "--draft", String.valueOf(draft.number()));
            final String tap = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(tap).isZero();
            final List<String> lines = tap.lines().toList();
            assertThat(lines).contains("TAP version 14", "1..6", "ok 1 - setup-only", "ok 2 - announce-only",
                "ok 3 - publish-namespace-done", "ok 4 - subscribe-error", "ok 5 - announce-subscribe",
                "ok 6 - subscribe-before-announce");
            assertThat(lines).noneMatch(l -> l.startsWith("not ok"));
        }
    }
}
