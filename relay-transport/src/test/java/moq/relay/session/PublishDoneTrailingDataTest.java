package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectStatus;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PUBLISH_DONE overtakes the last group's data (a control message against a stream still being sent or
 * retransmitted): the relay, as the publisher's subscriber, must not end the subscription while that stream is open,
 * even past the grace period (draft-18 §PUBLISH_DONE: once the timer expires the receiver destroys subscription state
 * once all open streams have closed). Ending it would reset the subgroup downstream and lose its last objects. A raw
 * publisher on each draft holds the rest of its last stream back until well after the grace period; our client
 * subscribes through the real relay and must get every object, then PUBLISH_DONE.
 */
class PublishDoneTrailingDataTest
{
    private static final long ALIAS = 7;
    private static final long GRACE_MILLIS = 300;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(
        Map.of(RelayConfiguration.SESSION_PUBLISH_DONE_GRACE_PROP_NAME, GRACE_MILLIS + "ms"));
    private static final Path certDir = relay.certDir();

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_14"})
    void anOpenStreamWhoseDataTrailsPublishDoneIsDeliveredToTheEnd(final Draft draft) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, draft.alpn()))
        {
            final RawPublisher publisher = new RawPublisher(draft, client, relay.server.localAddress());
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(draft)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.awaitSubscribe();
            publisher.subscribeOk(ALIAS);
            subscribed.get(5, TimeUnit.SECONDS);

            publisher.sendGroup(ALIAS, 0, 3);
            // The last group: its header and first two objects now, the rest held back (as if being retransmitted).
            final QuicStreamChannel last = publisher.openGroup(ALIAS, 1);
            publisher.writeObjects(last, 1, 0, 2);
            RelayFixture.await(() -> received.normalObjects() == 5, "the first two objects of the last group");
            publisher.publishDone(2);
            Thread.sleep(3 * GRACE_MILLIS);
            assertThat(received.done).as("PUBLISH_DONE waits for the open stream past the grace").isNotDone();
            publisher.writeObjects(last, 1, 2, 4);
            publisher.endOfGroup(last, 4);

            assertThat(received.done.get(5, TimeUnit.SECONDS)).isEqualTo(0x2L);
            assertThat(received.ids).extracting(id -> id[0] + "/" + id[1] + "/" + id[2]).containsExactlyInAnyOrder(
                "0/0/0", "0/1/0", "0/2/0", "1/0/0", "1/1/0", "1/2/0", "1/3/0", "1/4/" + ObjectStatus.END_OF_GROUP);
            for (int i = 0; i < received.ids.size(); i++)
            {
                final long[] id = received.ids.get(i);
                if (id[2] == ObjectStatus.NORMAL)
                {
                    assertThat(new String(received.payloads.get(i), StandardCharsets.UTF_8))
                        .isEqualTo(RawPublisher.payload(id[0], id[1]));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_14"})
    void aCountedStreamThatNeverStartsEndsTheSubscriptionAfterTheGrace(final Draft draft) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, draft.alpn()))
        {
            final RawPublisher publisher = new RawPublisher(draft, client, relay.server.localAddress());
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(draft)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.awaitSubscribe();
            publisher.subscribeOk(ALIAS);
            subscribed.get(5, TimeUnit.SECONDS);

            publisher.sendGroup(ALIAS, 0, 2);
            RelayFixture.await(() -> received.normalObjects() == 2, "group 0");
            // Counts a second stream that never comes (reset before its header, say): the grace ends the wait.
            final long sent = System.nanoTime();
            publisher.publishDone(2);
            assertThat(received.done.get(5, TimeUnit.SECONDS)).isEqualTo(0x2L);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isGreaterThanOrEqualTo(GRACE_MILLIS);
        }
    }
}
