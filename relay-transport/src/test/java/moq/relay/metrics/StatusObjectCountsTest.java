package moq.relay.metrics;

import static moq.relay.metrics.AdminEndpointTest.await;
import static moq.relay.metrics.AdminEndpointTest.delta;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import moq.relay.MoqRelay;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SessionListener;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.LogCapture;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's object counts in the video call's audio shape (issue #19): each group one object and an End of Group
 * status object, then FIN, as the load suite's publishers and moq-dev's send them. The session-end line and the
 * objects received/sent metrics count the objects that exist (the frames), not the status objects that mark where a
 * group ends: the relay counted both, 1.6 objects per frame in a call of 8, against the run's own count of frames.
 */
class StatusObjectCountsTest
{
    private static final TrackNamespace NS = TrackNamespace.of("counts", "room");
    private static final Bytes TRACK = Bytes.utf8("audio");

    @TempDir
    static Path certDir;

    @RegisterExtension
    final LogCapture sessionEnds = new LogCapture("moq.relay.session.end");

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<MoqClient> clients = new ArrayList<>();
    private MoqRelay relay;

    @AfterEach
    void stop()
    {
        clients.forEach(MoqClient::close);
        if (relay != null)
        {
            relay.close();
        }
    }

    @Test
    void endOfGroupStatusObjectsAreNotCountedAsObjects() throws Exception
    {
        relay = MoqRelay.builder()
            .bindAddress("127.0.0.1")
            .port(0)
            .adminPort(0)
            .certificateDirectory(certDir)
            .set(RelayConfiguration.WARMUP_DURATION_PROP_NAME, "0s")
            .set(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m")
            .set(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k")
            .start();
        final int groups = 25;
        final int payload = 160;
        final String before = scrape();

        final MoqClient publisher = connect();
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final AtomicInteger frames = new AtomicInteger();
        final AtomicInteger endsOfGroup = new AtomicInteger();
        final MoqClient subscriber = connect();
        subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                (o.status() == ObjectStatus.END_OF_GROUP ? endsOfGroup : frames).incrementAndGet();
            }
        }).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        for (int g = 0; g < groups; g++)
        {
            final SubgroupWriter w = track.openSubgroup(g, 0);
            w.write(0, Unpooled.wrappedBuffer(new byte[payload]));
            w.endGroup(1); // End of Group status object, then FIN: one stream per audio frame
        }
        await(() -> frames.get() == groups && endsOfGroup.get() == groups,
            "the subscriber received every frame and every End of Group");
        final String after = scrape();

        assertThat(delta(before, after, "moq_relay_objects_received_total")).as("objects in: the frames")
            .isEqualTo(groups);
        assertThat(delta(before, after, "moq_relay_payload_bytes_received_total")).isEqualTo((long)groups * payload);
        assertThat(delta(before, after, "moq_relay_objects_sent_total")).as("objects out: the frames")
            .isEqualTo(groups);
        assertThat(delta(before, after, "moq_relay_payload_bytes_sent_total")).isEqualTo((long)groups * payload);

        subscriber.close();
        await(() -> sessionEnds.messages().stream().anyMatch(m -> m.contains("1 requests")),
            "the subscriber's session-end line");
        assertThat(sessionEnds.messages()).anySatisfy(m -> assertThat(m).endsWith(
            "1 requests (0 refused), " + groups + " objects sent (" + (long)groups * payload + " bytes)"));
    }

    private MoqClient connect() throws Exception
    {
        final MoqClient c = MoqClient.connect(ClientConfig.of("127.0.0.1", relay.port(), Draft.DRAFT_18,
            ClientTrust.insecure()).withListener(SessionListener.NONE)).get(10, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private String scrape() throws Exception
    {
        return AdminEndpointTest.scrape(http, relay);
    }
}
