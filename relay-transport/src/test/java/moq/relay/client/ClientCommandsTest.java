package moq.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import moq.relay.ServedDrafts;
import moq.relay.cli.Main;
import moq.relay.transport.TestServers;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.SessionFactories;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@code publish} and {@code subscribe} subcommands, in-process, against {@link MoqTestPeer}. */
class ClientCommandsTest
{
    @TempDir
    Path dir;

    private final MoqTestPeer peer = new MoqTestPeer();
    private RelayServer server;

    @BeforeEach
    void start()
    {
        server = TestServers.start(TestServers.settings(1, Duration.ofMillis(200)), TestServers.certificate(dir),
            SessionFactories.builder().register(Draft.DRAFT_18.alpn(), peer).register(Draft.DRAFT_20.alpn(), peer)
                .register(Draft.DRAFT_14.alpn(), peer)
                .build());
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private String port()
    {
        return String.valueOf(server.localAddress().getPort());
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void subscribeWritesPayloadsToAFileAndExitsOnPublishDone(final Draft draft) throws Exception
    {
        peer.script = List.of(List.of(bytes("hello "), bytes("moq "), new byte[5000], bytes("world")));
        final Path out = dir.resolve("out.bin");
        final int code = Main.run("subscribe", "--host", "127.0.0.1", "--port", port(), "--draft",
            String.valueOf(draft.number()), "--insecure", "--namespace", "live/test", "--track", "video",
            "--output", out.toString(), "--quiet");
        assertThat(code).isZero();
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (final byte[] b : peer.script.get(0))
        {
            expected.writeBytes(b);
        }
        assertThat(Files.readAllBytes(out)).isEqualTo(expected.toByteArray());
        final moq.relay.wire.ControlMessage subscribe = peer.received.get(1);
        assertThat(subscribe.type()).isEqualTo(0x3);
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void publishSendsTheStampedPatternInGroupsThenPublishDone(final Draft draft) throws Exception
    {
        final int code = Main.run("publish", "--url", "moqt://127.0.0.1:" + port() + "/moq", "--draft",
            String.valueOf(draft.number()), "--insecure", "--namespace", "live/test", "--track", "video",
            "--publish", "--count", "10", "--group-length", "4", "--object-size", "64", "--rate", "0",
            "--wait-subscriber", "0", "--linger", "0.5");
        assertThat(code).isZero();
        awaitFins(3);
        final List<MoqTestPeer.PeerObject> normal = peer.objects.stream()
            .filter(o -> o.status() == ObjectStatus.NORMAL).toList();
        assertThat(normal).hasSize(10);
        for (final MoqTestPeer.PeerObject o : normal)
        {
            final long sequence = ByteBuffer.wrap(o.payload()).getLong(8);
            assertThat(o.payload()).hasSize(64);
            assertThat(o.groupId() * 4 + o.objectId()).isEqualTo(sequence);
        }
        assertThat(peer.objects.stream().filter(o -> o.status() == ObjectStatus.END_OF_GROUP)).hasSize(3);
        assertThat(peer.finishedDataStreams).isEqualTo(3);
        assertThat(peer.received.stream().anyMatch(m -> m.type() == 0xB)).as("PUBLISH_DONE").isTrue();
        if (draft.atLeast(18))
        {
            // SETUP travels on its own stream, so it may be recorded after the first request.
            final moq.relay.wire.d18.Setup setup = peer.received.stream()
                .filter(moq.relay.wire.d18.Setup.class::isInstance).map(moq.relay.wire.d18.Setup.class::cast)
                .findFirst().orElseThrow();
            assertThat(setup.path()).contains(moq.relay.wire.Bytes.utf8("/moq"));
            assertThat(setup.authority()).as("the moqt URI's authority").isPresent();
        }
    }

    @Test
    void publishCutsStdinIntoObjects() throws Exception
    {
        final byte[] input = new byte[100];
        for (int i = 0; i < input.length; i++)
        {
            input[i] = (byte)i;
        }
        final java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(input));
        try
        {
            assertThat(Main.run("publish", "--port", port(), "--insecure", "--namespace", "live/test", "--track",
                "video", "--stdin", "--object-size", "7", "--group-length", "5", "--rate", "0", "--publish",
                "--wait-subscriber", "0", "--linger", "0.5")).isZero();
        }
        finally
        {
            System.setIn(saved);
        }
        awaitFins(3);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        peer.objects.stream().filter(o -> o.status() == ObjectStatus.NORMAL)
            .sorted(java.util.Comparator.comparingLong(o -> o.groupId() * 5 + o.objectId()))
            .forEach(o -> got.writeBytes(o.payload()));
        assertThat(got.toByteArray()).isEqualTo(input);
        assertThat(peer.finishedDataStreams).isEqualTo(3);
    }

    @Test
    void subscribeLatencyPrintsOneLinePerObjectFromTheStamp() throws Exception
    {
        final java.time.Instant now = java.time.Instant.now();
        final long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000 - 5_000;
        final List<byte[]> stamped = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            stamped.add(ByteBuffer.allocate(32).putLong(micros).putLong(i).array());
        }
        peer.script = List.of(stamped);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        final int code;
        try
        {
            code = Main.run("subscribe", "--port", port(), "--insecure", "--namespace", "live/test", "--track",
                "video", "--latency", "--quiet");
        }
        finally
        {
            System.setOut(saved);
        }
        assertThat(code).isZero();
        final List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++)
        {
            assertThat(lines.get(i)).matches("0/" + i + " 32 bytes \\d+\\.\\d{3} ms");
            assertThat(Double.parseDouble(lines.get(i).split(" ")[3])).isGreaterThanOrEqualTo(5.0);
        }
    }

    @Test
    void helpDocumentsTheOptions()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try
        {
            assertThat(Main.run("publish", "--help")).isZero();
            assertThat(Main.run("subscribe", "--help")).isZero();
        }
        finally
        {
            System.setOut(saved);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--object-size", "--rate", "--group-length",
            "--datagrams", "--latency", "--output", "--fingerprint", "--draft");
    }

    /** The CLI returns after its linger; the last FINs may still be in flight on a loaded machine. */
    private void awaitFins(final int expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (peer.finishedDataStreams < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
