package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.ClusterForwardingTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Draft;

/**
 * A peer link's keep-alive (an empty unidirectional stream) costs the relay nothing lasting: after more keep-alives
 * than the relay's initial unidirectional stream credit (1000), the same session still opens subgroup streams.
 */
@Timeout(60)
class PeerKeepAliveTest
{
    @TempDir
    Path certs;

    @Test
    void keepAlivesGiveTheirStreamCreditBack() throws Exception
    {
        try (ClusterNode relay = new ClusterNode(certs, null))
        {
            final MoqClient publisher = relay.connect(Draft.DRAFT_18);
            publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
            final TrackPublisher track = publisher.track(NS, TRACK, 100);
            final ClusterForwardingTest.Collector subscriber = new ClusterForwardingTest.Collector();
            subscribe(relay.connect(Draft.DRAFT_18), Filter.largestObject(), subscriber);
            for (int i = 0; i < 1200; i++)
            {
                publisher.keepAlive();
                if (i % 50 == 49)
                {
                    Thread.sleep(20); // let the relay read them and return credit
                }
            }
            Thread.sleep(500);
            for (long g = 0; g < 3; g++)
            {
                publishGroup(track, g, 5);
            }
            await(() -> subscriber.objects.size() >= 15, "objects on subgroup streams after 1200 keep-alives");
            assertThat(subscriber.objects).containsExactlyElementsOf(expected(0, 2, 5));
        }
    }
}
