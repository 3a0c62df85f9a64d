package moq.relay.session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import moq.relay.client.MoqClient;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code moq.relay.quic.qlog.dir}: quiche writes a qlog trace per QUIC connection into the directory (created if
 * missing), with the relay's transport parameters (the stream credit a peer starts with) and every packet, so
 * {@code perf/qlog-credit.py} can tell whether a peer waited for the relay's stream or flow-control credit.
 */
class QlogTraceTest
{
    @TempDir
    Path certDir;

    @TempDir
    Path tmp;

    @Test
    void eachConnectionGetsAQlogTraceWithTheRelaysStreamCredit() throws Exception
    {
        final Path dir = tmp.resolve("qlog"); // does not exist yet
        try (RelayFixture fixture = new RelayFixture(certDir, Map.of(
            RelayConfiguration.QUIC_QLOG_DIR_PROP_NAME, dir.toString(),
            RelayConfiguration.QUIC_INITIAL_MAX_STREAMS_UNI_PROP_NAME, "777")))
        {
            final MoqClient first = fixture.connect(Draft.DRAFT_18);
            final MoqClient second = fixture.connect(Draft.DRAFT_18);
            first.close();
            second.close();
        }

        final List<Path> traces;
        try (Stream<Path> files = Files.list(dir))
        {
            traces = files.filter(f -> f.getFileName().toString().endsWith(".qlog")).toList();
        }
        assertThat(traces).as("one qlog file per connection in " + dir).hasSize(2);
        for (final Path trace : traces)
        {
            final String text = Files.readString(trace, StandardCharsets.UTF_8);
            assertThat(text).contains("\"initial_max_streams_uni\":777").contains("quic:packet_received")
                .contains("quic:packet_sent");
        }
    }
}
