package moq.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Usage and input errors of {@code publish --fmp4} and {@code subscribe --broadcast}, caught before any network. */
class MediaCommandsUsageTest
{
    @Test
    void broadcastAndTrackOptionsMustFitTogether()
    {
        assertThat(run(null, "publish", "--fmp4", "--namespace", "a", "--track", "t")).startsWith("2 ")
            .contains("--fmp4 and --broadcast go together");
        assertThat(run(null, "publish", "--broadcast", "a/b.hang", "--track", "t"))
            .contains("--broadcast replaces --namespace and --track");
        assertThat(run(null, "subscribe", "--broadcast", "a/b.hang")).startsWith("2 ")
            .contains("--broadcast needs --output FILE");
        assertThat(run(null, "subscribe", "--namespace", "a")).startsWith("2 ").contains("give --namespace and --track");
    }

    @Test
    void aStreamThatIsNotFragmentedMp4FailsWithTheReasonBeforeConnecting()
    {
        // Port 9 (discard): nothing listens; the error must come from reading the input, not from connecting.
        final byte[] notMp4 = "hello, this is not an MP4 file at all".getBytes(StandardCharsets.US_ASCII);
        assertThat(run(notMp4, "publish", "--fmp4", "--broadcast", "a/b.hang", "--port", "9", "--insecure"))
            .startsWith("1 ").contains("reading the MP4 init segment").contains("declares");
        assertThat(run(new byte[0], "publish", "--fmp4", "--broadcast", "a/b.hang", "--port", "9", "--insecure"))
            .startsWith("1 ").contains("no init segment");
    }

    /** Runs a command line; returns the exit code, a space, and what it wrote to stderr. */
    private static String run(final byte[] stdin, final String... args)
    {
        final PrintStream savedErr = System.err;
        final InputStream savedIn = System.in;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try
        {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            if (stdin != null)
            {
                System.setIn(new ByteArrayInputStream(stdin));
            }
            final int code = Main.run(args);
            return code + " " + err.toString(StandardCharsets.UTF_8);
        }
        finally
        {
            System.setErr(savedErr);
            System.setIn(savedIn);
        }
    }
}
