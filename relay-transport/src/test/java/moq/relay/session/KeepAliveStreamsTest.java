package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream that ends before its type is read (a client's keep-alive is an empty unidirectional stream, opened and
 * finished at once) is let go at its FIN. The relay kept such a stream's channel and classifier until the
 * connection ended: a cluster link or an idle subscriber keeping its connection alive every few seconds grew the
 * relay's heap for as long as it stayed connected.
 */
class KeepAliveStreamsTest
{
    private static final int KEEP_ALIVES = 150;

    @TempDir
    static Path certDir;

    @Test
    @Timeout(60)
    void emptyStreamsAreLetGoAtTheirFin() throws Exception
    {
        try (RelayFixture relay = new RelayFixture(certDir))
        {
            final MoqClient client = relay.connect(Draft.DRAFT_18);
            final long before = LiveInstances.of("moq.relay.transport.session.UniStreamClassifier");
            for (int i = 0; i < KEEP_ALIVES; i++)
            {
                client.keepAlive();
                Thread.sleep(2);
            }
            Thread.sleep(500); // the last ones reach the relay
            assertThat(client.closed()).as("the session after %d keep-alives", KEEP_ALIVES).isNotDone();
            assertThat(LiveInstances.of("moq.relay.transport.session.UniStreamClassifier") - before)
                .as("relay stream classifiers still alive after %d empty streams ended", KEEP_ALIVES)
                .isLessThan(10);
            client.subscribe(moq.relay.wire.TrackNamespace.of("k", "a"), moq.relay.wire.Bytes.utf8("t"),
                moq.relay.client.SubscribeOptions.LATEST, o -> { }).handle((s, e) -> null)
                .get(5, TimeUnit.SECONDS); // the session still answers requests (an error for the unknown track)
        }
    }
}
