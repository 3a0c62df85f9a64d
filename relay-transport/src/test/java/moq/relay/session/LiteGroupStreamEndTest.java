package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.LiteTrackWriter;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.LiteVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A moq-lite publisher's Group Stream is done at its FIN: the relay lets go of it then, not when the connection
 * ends. A call publishes a Group Stream per audio frame (50 a second) and per video group, for as long as the call
 * lasts; a stream the relay kept after its FIN kept its Netty channel, its handler and, for a frame that spanned
 * reads, the gather buffer charged to the session's budget, so a long call first grew the relay's heap and then,
 * with the budget spent, had its larger frames refused (their groups reset) although every stream had ended. The
 * project's moq-lite client (the load suite's subscribers) lets go of the relay's Group Streams at their FIN too.
 */
class LiteGroupStreamEndTest
{
    /** A frame larger than one read, so that the relay gathers it (charged to the session's budget). */
    private static final int FRAME = 48 * 1024;
    private static final int GROUPS = 120;

    @TempDir
    static Path certDir;

    @Test
    @Timeout(90)
    void endedGroupStreamsReleaseTheirBudgetAndState() throws Exception
    {
        // A budget of ten gathered frames: the publisher's 120 groups fit only if each stream gives its share back.
        try (RelayFixture relay = new RelayFixture(certDir,
                 Map.of(RelayConfiguration.SESSION_MAX_GATHERED_BYTES_PROP_NAME, String.valueOf(10 * FRAME),
                     RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, String.valueOf(4 * FRAME)));
             LiteClient pub = LiteClient.connect("127.0.0.1", relay.server.localAddress().getPort(),
                 LiteVersion.LITE_04, ClientTrust.insecure(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
             LiteClient sub = LiteClient.connect("127.0.0.1", relay.server.localAddress().getPort(),
                 LiteVersion.LITE_05, ClientTrust.insecure(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS))
        {
            final LiteTrackWriter track = pub.publish("call/alice", "audio", 128);
            RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of("call", "alice")),
                "the relay learned of the broadcast"); // a SUBSCRIBE before that is not linked to it
            final Set<Long> whole = ConcurrentHashMap.newKeySet();
            sub.subscribe("call/alice", "audio", 128, (group, index, payload) ->
            {
                if (payload.readableBytes() == FRAME && payload.getByte(payload.readerIndex() + FRAME - 1) ==
                    (byte)group)
                {
                    whole.add(group);
                }
            }).get(10, TimeUnit.SECONDS);
            track.firstSubscriber().get(10, TimeUnit.SECONDS);
            int missed = 0;
            for (int g = 0; g < GROUPS && missed < 3; g++)
            {
                track.frame(g, Unpooled.directBuffer(FRAME).writeZero(FRAME - 1).writeByte(g));
                track.endGroup(g);
                // One group in flight at a time, as a call's audio (a group every 20 ms): the relay never needs more
                // than one frame's gather buffer at once, however long the publisher goes on.
                final long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (!whole.contains((long)g) && System.nanoTime() < give)
                {
                    Thread.sleep(1);
                }
                missed += whole.contains((long)g) ? 0 : 1;
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(missed == 0 ? 10 : 0);
            while (whole.size() < GROUPS && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertThat(whole).as("groups whose frame arrived whole (of %d, sent one at a time; stopped after 3 missing)", GROUPS)
                .hasSize(GROUPS);
            Thread.sleep(200); // the last FINs reach the relay
            assertThat(LiveInstances.of("moq.relay.session.lite.LiteGroupIngest"))
                .as("relay handlers of the publisher's Group Streams still alive after %d ended streams", GROUPS)
                .isLessThan(10);
            assertThat(LiveInstances.of("moq.relay.client.LiteClient$GroupReader"))
                .as("the subscribing client's readers of the relay's Group Streams still alive after %d ended streams",
                    GROUPS)
                .isLessThan(10);
        }
    }
}
