package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.d14.GroupOrder;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.PublishNamespace;
import moq.relay.wire.d14.PublishNamespaceOk;
import moq.relay.wire.d14.Subscribe;
import moq.relay.wire.d14.SubscribeOk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A draft-14 publisher that answers the relay's SUBSCRIBE late (250 ms) but starts sending at once (draft-14
 * §"Subgroup Header" lets data precede SUBSCRIBE_OK). Until the SUBSCRIBE_OK says which alias is which track, the
 * relay must hold those streams, whatever their alias looks like: a subscriber that was there before the first object
 * gets the track from where the publisher's answer says it starts (object 0), and a stream whose alias happens to equal
 * another subscription's request id does not land in that other track.
 */
class LateSubscribeOkTest
{
    private static final Bytes TRACK_A = Bytes.utf8("a");
    private static final Bytes TRACK_B = Bytes.utf8("b");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private RawPeer publisher(final String implementation) throws Exception
    {
        final RawPeer p = new RawPeer(relay, certDir, Draft.DRAFT_14, implementation);
        p.send(new PublishNamespace(p.nextRequestId(), NS, MessageParameters.EMPTY));
        RelayFixture.await(() -> p.control.first(PublishNamespaceOk.class) != null, "PUBLISH_NAMESPACE_OK");
        return p;
    }

    private static Subscribe awaitSubscribe(final RawPeer publisher, final Bytes track) throws InterruptedException
    {
        final Subscribe[] found = new Subscribe[1];
        RelayFixture.await(() ->
        {
            for (final Object m : publisher.control.decoded())
            {
                if (m instanceof Subscribe && ((Subscribe)m).trackName().equals(track))
                {
                    found[0] = (Subscribe)m;
                    return true;
                }
            }
            return false;
        }, "the relay's SUBSCRIBE for " + track);
        return found[0];
    }

    private static SubscribeOk subscribeOk(final long requestId, final long alias)
    {
        // No content existed when the SUBSCRIBE arrived: the subscription starts at 0/0.
        return new SubscribeOk(requestId, alias, 0, GroupOrder.ASCENDING, null, MessageParameters.EMPTY);
    }

    /** @moq/lite's way (alias = the relay's request id) and an arbitrary peer's. */
    @ParameterizedTest
    @ValueSource(strings = {"moq-lite-js", "some-publisher"})
    void anEarlySubscriberGetsEveryObjectFromZeroWhenSubscribeOkIsLate(final String implementation) throws Exception
    {
        try (RawPeer publisher = publisher(implementation))
        {
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK_A, SubscribeOptions.LATEST, received);
            final long requestId = awaitSubscribe(publisher, TRACK_A).requestId();

            // Objects 0..9 right away, SUBSCRIBE_OK 250 ms later, then 10..19 on the same stream.
            final RawPeer.DataOut group = publisher.openSubgroup(requestId, 0);
            group.objects(0, 10);
            Thread.sleep(250);
            publisher.send(subscribeOk(requestId, requestId));
            subscribed.get(5, TimeUnit.SECONDS);
            group.objects(10, 20);
            group.finish();

            RelayFixture.await(() -> received.normalObjects() >= 20, () -> "20 objects, got " +
                received.ids.stream().map(id -> id[0] + "/" + id[1]).toList());
            Thread.sleep(100);
            assertThat(received.ids).extracting(id -> id[0] + "/" + id[1]).as("every object from 0/0")
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(o -> "0/" + o).toList());
            for (int i = 0; i < 20; i++)
            {
                assertThat(new String(received.payloads.get(i), StandardCharsets.UTF_8)).isEqualTo("object 0/" + i);
            }
            assertThat(publisher.connection.peerClose()).isNotDone();
        }
    }

    @Test
    void aStreamBeforeItsSubscribeOkWhoseAliasIsAnotherSubscriptionsRequestIdStaysInItsOwnTrack() throws Exception
    {
        try (RawPeer publisher = publisher(null))
        {
            final Received onA = new Received();
            relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK_A, SubscribeOptions.LATEST, onA);
            final long requestA = awaitSubscribe(publisher, TRACK_A).requestId();
            publisher.send(subscribeOk(requestA, 100)); // track a: alias 100

            final Received onB = new Received();
            final CompletableFuture<Subscription> subscribedB = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK_B, SubscribeOptions.LATEST, onB);
            final long requestB = awaitSubscribe(publisher, TRACK_B).requestId();
            assertThat(requestB).isNotEqualTo(requestA);

            // Track b's alias is the number of track a's request id; its data comes before its SUBSCRIBE_OK.
            final RawPeer.DataOut groupB = publisher.openSubgroup(requestA, 0);
            groupB.objects(0, 5);
            groupB.finish();
            Thread.sleep(250);
            assertThat(onA.ids).as("track a gets nothing of track b").isEmpty();
            publisher.send(subscribeOk(requestB, requestA));
            subscribedB.get(5, TimeUnit.SECONDS);

            RelayFixture.await(() -> onB.normalObjects() == 5, "track b's 5 objects");
            Thread.sleep(200);
            assertThat(onB.ids).extracting(id -> id[0] + "/" + id[1]).containsExactly("0/0", "0/1", "0/2", "0/3",
                "0/4");
            assertThat(onA.ids).as("track a gets nothing of track b").isEmpty();

            // Track a still works under its own alias.
            final RawPeer.DataOut groupA = publisher.openSubgroup(100, 7);
            groupA.objects(0, 2);
            groupA.finish();
            RelayFixture.await(() -> onA.normalObjects() == 2, "track a's own objects");
            assertThat(onA.ids).extracting(id -> id[0] + "/" + id[1]).containsExactly("7/0", "7/1");
            assertThat(List.copyOf(onB.ids)).hasSize(5);
        }
    }
}
