package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.ClusterForwardingTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import moq.relay.MoqRelay;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Draft;

/**
 * Relays started on port 0 with no advertised URL: each advertises the port it bound ({@code moqt://127.0.0.1:PORT}),
 * not port 0, so the others reach it (before, start-up failed on the URL {@code moqt://127.0.0.1:0}).
 */
@Timeout(60)
class ClusterEphemeralPortTest
{
    @TempDir
    Path certs;
    RedisServer redis;
    final List<MoqRelay> relays = new ArrayList<>();
    final List<MoqClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception
    {
        clients.forEach(MoqClient::close);
        relays.forEach(MoqRelay::close);
        if (redis != null)
        {
            redis.close();
        }
    }

    MoqRelay relay()
    {
        final MoqRelay r = MoqRelay.builder().bindAddress("127.0.0.1").port(0).certificateDirectory(certs)
            .set(RelayConfiguration.EVENT_LOOPS_PROP_NAME, "1")
            .set(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m")
            .set(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k")
            .set(RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m")
            .set(RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k")
            .set(RelayConfiguration.CLUSTER_REDIS_URL_PROP_NAME, redis.url())
            .set(RelayConfiguration.CLUSTER_PEER_TRUST_PROP_NAME, "insecure")
            .start();
        relays.add(r);
        return r;
    }

    MoqClient connect(final MoqRelay r) throws Exception
    {
        final MoqClient c = MoqClient.connect(ClientConfig.of("127.0.0.1", r.port(), Draft.DRAFT_18,
            ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    @Test
    void relaysOnEphemeralPortsAdvertiseTheBoundPortAndForward() throws Exception
    {
        redis = RedisServer.start();
        final MoqRelay a = relay();
        final MoqRelay b = relay();
        assertThat(a.port()).isPositive();

        final MoqClient publisher = connect(a);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final MoqClient subscriber = connect(b);
        final ClusterForwardingTest.Collector onB = new ClusterForwardingTest.Collector();
        // B learns A's registration (moqt://127.0.0.1:A's port) and subscribes there.
        await(() ->
        {
            try
            {
                subscribe(subscriber, Filter.largestObject(), onB);
                return true;
            }
            catch (final Exception e)
            {
                return false;
            }
        }, "B to route " + NS + " to A");
        publishGroup(track, 0, 10);
        await(() -> onB.objects.size() >= 10, "A's objects at B");
        assertThat(onB.objects).containsExactlyElementsOf(expected(0, 0, 10));
    }
}
