package moq.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.ConfigurationException;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MoqRelay} embedded as an application would: started from code on an ephemeral port with settings from a
 * map (no system property), a publisher and a subscriber (the project's client) through it, the listener hearing
 * sessions, the publish and the subscribe, and a graceful stop that closes the sessions.
 */
class MoqRelayEmbeddingTest
{
    static final TrackNamespace NS = TrackNamespace.of("embedded", "room");
    static final Bytes TRACK = Bytes.utf8("chat");

    @TempDir
    Path certDir;

    /** Everything the listener heard, as text, in order. */
    static final class Events implements RelayListener
    {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void sessionOpened(final SessionInfo session)
        {
            seen.add("opened " + session.draft() + " " + session.transport());
        }

        @Override
        public void sessionClosed(final SessionInfo session)
        {
            seen.add("closed " + session.draft() + " " + session.transport());
        }

        @Override
        public void namespacePublished(final SessionInfo session, final TrackNamespace namespace)
        {
            seen.add("published " + namespace);
        }

        @Override
        public void subscribed(final SessionInfo session, final FullTrackName track)
        {
            seen.add("subscribed " + track);
        }

        @Override
        public void requestRefused(final SessionInfo session, final RequestKind kind, final TrackNamespace namespace,
            final Bytes track, final RequestErrorCode error)
        {
            seen.add("refused " + kind + " " + error);
        }
    }

    @Test
    void embeddedRelayForwardsReportsEventsAndStopsGracefully() throws Exception
    {
        final Events events = new Events();
        final MoqRelay relay = MoqRelay.builder()
            .bindAddress("127.0.0.1")
            .port(0)
            .certificateDirectory(certDir)
            .set(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "32m")
            .set(RelayConfiguration.SHUTDOWN_DRAIN_TIMEOUT_PROP_NAME, "2s")
            .set(RelayConfiguration.WARMUP_DURATION_PROP_NAME, "0s") // ready at once (StartupWarmupTest)
            .listener(events)
            .start();
        try
        {
            assertThat(relay.port()).isPositive();
            assertThat(relay.isReady()).isTrue();
            assertThat(relay.adminAddress()).as("admin listener off by default").isNull();
            assertThat(System.getProperty(RelayConfiguration.PORT_PROP_NAME)).as("no system property set").isNull();

            final MoqClient publisher = connect(relay, Draft.DRAFT_18);
            publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
            final TrackPublisher track = publisher.track(NS, TRACK, 100);
            final MoqClient subscriber = connect(relay, Draft.DRAFT_14);
            final AtomicInteger received = new AtomicInteger();
            subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, new SubscriptionListener()
            {
                @Override
                public void onObject(final ReceivedObject o)
                {
                    received.incrementAndGet();
                }
            }).get(5, TimeUnit.SECONDS);
            track.firstSubscriber().get(5, TimeUnit.SECONDS);
            final SubgroupWriter w = track.openSubgroup(0, 0);
            for (int o = 0; o < 5; o++)
            {
                w.write(o, Unpooled.wrappedBuffer(new byte[] {(byte)o}));
            }
            w.close();
            await(() -> received.get() == 5, "5 objects through the embedded relay");
            subscriber.subscribe(TrackNamespace.of("nobody"), TRACK, SubscribeOptions.LATEST, o -> { })
                .exceptionally(e -> null).get(5, TimeUnit.SECONDS);

            assertThat(events.seen).containsSubsequence("opened draft-18 quic", "published " + NS,
                "opened draft-14 quic", "subscribed " + new FullTrackName(NS, TRACK),
                "refused SUBSCRIBE DOES_NOT_EXIST");

            relay.stop(); // GOAWAY: the clients do not leave, so the drain times out and closes them
            assertThat(relay.isReady()).isFalse();
            await(() -> events.seen.stream().filter(e -> e.startsWith("closed")).count() == 2, "both sessions closed");
            assertThat(publisher.closed().get(5, TimeUnit.SECONDS)).isNotNull();
            relay.awaitTermination();
        }
        finally
        {
            relay.close();
        }
    }

    @Test
    void aBadSettingStopsStartNamingIt()
    {
        assertThatThrownBy(() -> MoqRelay.builder().certificateDirectory(certDir).port(0)
            .set(RelayConfiguration.ADMIN_PORT_PROP_NAME, "http").start())
            .isInstanceOf(ConfigurationException.class).hasMessageContaining(RelayConfiguration.ADMIN_PORT_PROP_NAME);
    }

    private static MoqClient connect(final MoqRelay relay, final Draft draft) throws Exception
    {
        return MoqClient.connect(ClientConfig.of("127.0.0.1", relay.port(), draft, ClientTrust.insecure()))
            .get(10, TimeUnit.SECONDS);
    }

    private static void await(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
