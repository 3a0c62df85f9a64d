package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.ClusterForwardingTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Draft;

/**
 * Failures of a Redis cluster: an origin relay SIGKILLed while its publisher moves to another relay (subscribers
 * elsewhere keep their subscription and get the new origin's objects within 2 s; the dead relay's registrations
 * expire within the TTL), and Redis stopped and restarted under traffic.
 */
@Timeout(90)
class ClusterFailoverTest
{
    @TempDir
    Path dir;
    RedisServer redis;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception
    {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
        if (redis != null)
        {
            redis.close();
        }
    }

    ClusterNode redisNode()
    {
        final ClusterNode n = new ClusterNode(dir, Map.of(RelayConfiguration.CLUSTER_REDIS_URL_PROP_NAME,
            redis.url()));
        closeables.add(n);
        return n;
    }

    MoqClient connect(final int port) throws Exception
    {
        final MoqClient c = MoqClient.connect(ClientConfig.of("127.0.0.1", port, Draft.DRAFT_18,
            ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
        closeables.add(() -> CompletableFuture.runAsync(c::close).get(10, TimeUnit.SECONDS));
        return c;
    }

    @Test
    void publisherMovesToAnotherRelayAfterItsRelayIsKilledAndSubscribersContinue() throws Exception
    {
        final RelayProcessNode a = RelayProcessNode.start(dir, Map.of(
            RelayConfiguration.CLUSTER_REDIS_URL_PROP_NAME, redis.url(),
            RelayConfiguration.CLUSTER_PEER_TRUST_PROP_NAME, "insecure"));
        closeables.add(a);
        // Its first Redis connection can take seconds on a loaded machine (class loading): wait for it.
        ClusterForwardingTest.await(() -> a.logContains(" reachable;"), 60, "A's Redis connection");
        final ClusterNode b = redisNode();
        final ClusterNode c = redisNode();

        final MoqClient first = connect(a.port);
        first.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher onA = first.track(NS, TRACK, 100);
        await(() -> c.cluster().knowsOrigin(NS, a.url), "C to learn that A originates the namespace");

        final List<ClusterForwardingTest.Collector> subscribers = new ArrayList<>();
        for (final Draft d : List.of(Draft.DRAFT_18, Draft.DRAFT_14))
        {
            final ClusterForwardingTest.Collector col = new ClusterForwardingTest.Collector();
            subscribe(c.connect(d), Filter.largestObject(), col);
            subscribers.add(col);
        }
        final int perGroup = 10;
        for (long g = 0; g < 3; g++)
        {
            publishGroup(onA, g, perGroup);
        }
        for (final ClusterForwardingTest.Collector col : subscribers)
        {
            await(() -> col.objects.size() >= 3 * perGroup, "groups 0..2 from A at C");
        }

        a.kill();
        final long killed = System.nanoTime();
        // The publisher reconnects to B and continues its track there (group IDs continue: a switchover).
        final MoqClient second = connect(b.server.localAddress().getPort());
        second.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final long movedAt = System.nanoTime();
        final TrackPublisher onB = second.track(NS, TRACK, 100);
        onB.firstSubscriber().get(5, TimeUnit.SECONDS);
        for (long g = 3; g < 6; g++)
        {
            publishGroup(onB, g, perGroup);
        }
        for (final ClusterForwardingTest.Collector col : subscribers)
        {
            await(() -> col.objects.size() >= 6 * perGroup, "groups 3..5 from B at C");
        }
        final long continuedAfter = System.nanoTime() - movedAt;
        assertThat(Duration.ofNanos(continuedAfter)).isLessThan(Duration.ofSeconds(2));
        for (final ClusterForwardingTest.Collector col : subscribers)
        {
            assertThat(col.objects).containsExactlyElementsOf(expected(0, 5, perGroup)); // no loss, duplicate, reorder
            assertThat(col.done).isNotDone(); // the same subscription, no PUBLISH_DONE
        }

        // The dead relay's registration expires within the TTL (3 s) and C forgets it soon after.
        await(() -> !c.cluster().knowsOrigin(NS, a.url), "C to forget the killed relay");
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofMillis(4500));

        // After the dead link's idle timeout and grace, the subscribers are still served by B.
        Thread.sleep(PeerLink.IDLE_TIMEOUT.plus(RelayConfiguration.CLUSTER_TTL_DEFAULT).toMillis() + 500);
        publishGroup(onB, 6, perGroup);
        for (final ClusterForwardingTest.Collector col : subscribers)
        {
            await(() -> col.objects.size() >= 7 * perGroup, "group 6 from B at C after A's link ended");
            assertThat(col.objects).containsExactlyElementsOf(expected(0, 6, perGroup));
            assertThat(col.done).isNotDone();
        }
    }

    @Test
    void redisStoppedAndRestartedUnderTraffic() throws Exception
    {
        final ClusterNode a = redisNode();
        final ClusterNode b = redisNode();
        final MoqClient publisher = connect(a.server.localAddress().getPort());
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        await(() -> b.cluster().knowsOrigin(NS, a.url), "B to learn of A's namespace");
        final ClusterForwardingTest.Collector remote = new ClusterForwardingTest.Collector();
        subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), remote);
        final ClusterForwardingTest.Collector local = new ClusterForwardingTest.Collector();
        subscribe(a.connect(Draft.DRAFT_18), Filter.largestObject(), local);

        redis.kill();
        final int perGroup = 10;
        for (long g = 0; g < 3; g++)
        {
            publishGroup(track, g, perGroup);
        }
        // Without Redis: local traffic and the established upstream link lose nothing.
        await(() -> local.objects.size() >= 3 * perGroup && remote.objects.size() >= 3 * perGroup,
            "objects at both subscribers while Redis is down");
        assertThat(local.objects).containsExactlyElementsOf(expected(0, 2, perGroup));
        assertThat(remote.objects).containsExactlyElementsOf(expected(0, 2, perGroup));
        // Routes B already knew keep working: a new subscriber on B is served (from B's aggregated upstream).
        final ClusterForwardingTest.Collector later = new ClusterForwardingTest.Collector();
        subscribe(b.connect(Draft.DRAFT_14), Filter.absoluteStart(new moq.relay.wire.Location(1, 0)), later);
        await(() -> later.objects.size() >= 2 * perGroup, "a new subscriber on B while Redis is down");

        // Redis comes back empty (no persistence): A registers again and a relay that joins now finds it.
        Thread.sleep(1000);
        redis.startProcess();
        final ClusterNode c = redisNode();
        await(() -> c.cluster().knowsOrigin(NS, a.url), "C to find A's namespace after Redis restarted");
        final ClusterForwardingTest.Collector onC = new ClusterForwardingTest.Collector();
        subscribe(c.connect(Draft.DRAFT_18), Filter.largestObject(), onC);
        publishGroup(track, 3, perGroup);
        await(() -> onC.objects.size() >= perGroup && remote.objects.size() >= 4 * perGroup,
            "group 3 at C and B after Redis restarted");
        assertThat(onC.objects).containsExactlyElementsOf(expected(3, 3, perGroup));
        assertThat(remote.objects).containsExactlyElementsOf(expected(0, 3, perGroup));
    }
}
