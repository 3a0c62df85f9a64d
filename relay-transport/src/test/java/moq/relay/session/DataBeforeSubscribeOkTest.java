package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A fast publisher's subgroup streams overtake the SUBSCRIBE_OK that establishes their Track Alias (draft-18 and
 * draft-14 §"Subgroup Header" allow a receiver to hold them briefly): the relay holds such a stream until it reads
 * the SUBSCRIBE_OK and then delivers every object; a stream whose alias never comes is discarded after the wait and
 * does not count toward PUBLISH_DONE's stream count. Raw publishers on both drafts, our client as subscriber.
 */
class DataBeforeSubscribeOkTest
{
    private static final long ALIAS = 7;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_14"})
    void streamsThatOvertakeSubscribeOkAreHeldAndDelivered(final Draft draft) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, draft.alpn()))
        {
            final RawPublisher publisher = new RawPublisher(draft, client, relay.server.localAddress());
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.awaitSubscribe();

            // Two groups on two streams, both finished before the relay has any way to know alias 7.
            publisher.sendGroup(ALIAS, 0, 3);
            publisher.sendGroup(ALIAS, 1, 2);
            Thread.sleep(300);
            assertThat(received.normalObjects()).as("nothing can be delivered before SUBSCRIBE_OK").isZero();
            publisher.subscribeOk(ALIAS);
            subscribed.get(5, TimeUnit.SECONDS);

            RelayFixture.await(() -> received.normalObjects() == 5, "both held streams' objects");
            assertThat(received.ids).extracting(id -> id[0] + "/" + id[1])
                .containsExactlyInAnyOrder("0/0", "0/1", "0/2", "1/0", "1/1");
            for (int i = 0; i < received.ids.size(); i++)
            {
                final long[] id = received.ids.get(i);
                assertThat(new String(received.payloads.get(i), StandardCharsets.UTF_8))
                    .isEqualTo(RawPublisher.payload(id[0], id[1]));
            }
            assertThat(publisher.connection.peerClose()).isNotDone();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_14"})
    void aStreamWhoseAliasNeverComesIsDiscardedAndNotCountedTowardPublishDone(final Draft draft) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, draft.alpn()))
        {
            final RawPublisher publisher = new RawPublisher(draft, client, relay.server.localAddress());
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.awaitSubscribe();
            publisher.subscribeOk(ALIAS);
            subscribed.get(5, TimeUnit.SECONDS);

            // A finished stream for an alias nothing establishes: held for the wait (1 s), then read and dropped.
            publisher.sendGroup(99, 0, 2);
            Thread.sleep(1_500);
            // PUBLISH_DONE counts one stream; the stray one must not satisfy it, so the real one still gets through.
            publisher.publishDone(1);
            Thread.sleep(300);
            assertThat(received.done).as("PUBLISH_DONE waits for the one real stream").isNotDone();
            publisher.sendGroup(ALIAS, 5, 2);
            assertThat(received.done.get(5, TimeUnit.SECONDS)).isEqualTo(0x2L);
            assertThat(received.ids).extracting(id -> id[0] + "/" + id[1]).containsExactly("5/0", "5/1");
            assertThat(publisher.connection.peerClose()).as("a stray stream is no session error").isNotDone();
        }
    }
}
