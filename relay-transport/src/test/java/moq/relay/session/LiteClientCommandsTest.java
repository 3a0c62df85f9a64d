package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.cli.Main;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.LiteVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code publish} and {@code subscribe} with {@code --protocol moq-lite-0N} through a real relay: a moq-lite
 * publisher's stdin reaches a draft-18 {@code subscribe} byte for byte, and a draft-18 publisher's stdin a moq-lite
 * {@code subscribe}, for each moq-lite version.
 */
class LiteClientCommandsTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    @TempDir
    Path dir;

    private String port()
    {
        return String.valueOf(relay.server.localAddress().getPort());
    }

    private static byte[] input(final long seed)
    {
        final byte[] b = new byte[10_000];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Runs {@code publish} with {@code stdin} on its own thread; returns its exit code. */
    private CompletableFuture<Integer> publish(final byte[] stdin, final String ns, final String... protocol)
    {
        final InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        final CompletableFuture<Integer> code = new CompletableFuture<>();
        final String[] args = concat(new String[] {"publish", "--port", port(), "--insecure", "--namespace", ns,
            "--track", "video", "--stdin", "--object-size", "700", "--group-length", "4", "--rate", "0",
            "--wait-subscriber", "10", "--linger", "0.5"}, protocol);
        final Thread t = new Thread(() ->
        {
            try
            {
                code.complete(Main.run(args));
            }
            catch (final Throwable e)
            {
                code.completeExceptionally(e);
            }
        }, "publish");
        t.start();
        code.whenComplete((c, e) -> System.setIn(saved));
        return code;
    }

    private static String[] concat(final String[] a, final String[] b)
    {
        final String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private int subscribe(final String ns, final Path out, final String... protocol)
    {
        return Main.run(concat(new String[] {"subscribe", "--port", port(), "--insecure", "--namespace", ns,
            "--track", "video", "--output", out.toString(), "--quiet", "--duration", "20"}, protocol));
    }

    @ParameterizedTest
    @EnumSource(LiteVersion.class)
    void aLitePublishersStdinReachesADraft18SubscriberByteForByte(final LiteVersion version) throws Exception
    {
        final byte[] in = input(version.number());
        final CompletableFuture<Integer> publisher = publish(in, "lite/up", "--protocol", version.alpn());
        RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of("lite", "up")), "lite/up published");
        final Path out = dir.resolve("out.bin");
        assertThat(subscribe("lite/up", out, "--protocol", "moqt-18")).as("subscribe exit").isZero();
        assertThat(publisher.get(20, TimeUnit.SECONDS)).as("publish exit").isZero();
        assertThat(Files.readAllBytes(out)).as(version + " -> draft 18").isEqualTo(in);
    }

    @ParameterizedTest
    @EnumSource(LiteVersion.class)
    void aDraft18PublishersStdinReachesALiteSubscriberByteForByte(final LiteVersion version) throws Exception
    {
        final byte[] in = input(100 + version.number());
        final CompletableFuture<Integer> publisher = publish(in, "moqt/down", "--draft", "18");
        RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of("moqt", "down")), "moqt/down published");
        final Path out = dir.resolve("out.bin");
        assertThat(subscribe("moqt/down", out, "--protocol", version.alpn())).as("subscribe exit").isZero();
        assertThat(publisher.get(20, TimeUnit.SECONDS)).as("publish exit").isZero();
        assertThat(Files.readAllBytes(out)).as("draft 18 -> " + version).isEqualTo(in);
    }

    @Test
    void anUnknownProtocolIsAUsageError()
    {
        assertThat(Main.run("subscribe", "--port", port(), "--insecure", "--namespace", "a", "--track", "b",
            "--protocol", "moq-lite-99")).isEqualTo(2);
        assertThat(Main.run("publish", "--port", port(), "--insecure", "--namespace", "a", "--track", "b",
            "--protocol", "moq-lite-05", "--datagrams")).isEqualTo(2);
    }
}
