package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.ServedDrafts;
import moq.relay.client.MoqClient;
import moq.relay.client.PublishedNamespace;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.TrackPublisher;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A draft-14 publisher withdraws its namespace with PUBLISH_NAMESPACE_DONE ("its intent to stop serving new
 * subscriptions for tracks within the provided Track Namespace"): a subscription already established keeps
 * receiving until the publisher ends it with PUBLISH_DONE, and new SUBSCRIBEs for the namespace are refused.
 */
class PublishNamespaceDoneTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    @ParameterizedTest(name = "draft-14 publisher, {0} subscribers")
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void withdrawnNamespaceKeepsExistingSubscriptionsAndRefusesNewOnes(final Draft subscriberDraft) throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_14);
        final PublishedNamespace published = publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final TrackPublisher other = publisher.track(NS, Bytes.utf8("audio"), 100);
        final Received received = new Received();
        final MoqClient subscriber = relay.connect(subscriberDraft);
        final Subscription subscription = subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, received)
            .get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 5, 1), 0);
        RelayFixture.await(() -> received.normalObjects() == 5, "group 0");

        published.withdraw(); // PUBLISH_NAMESPACE_DONE
        final long upstreamBefore = relay.relay.upstreamSubscribeCount();
        final MoqClient late = relay.connect(subscriberDraft);
        RelayFixture.await(() ->
        {
            final Throwable t = catchThrowable(() -> late.subscribe(NS, Bytes.utf8("audio"), SubscribeOptions.LATEST,
                new Received()).get(5, TimeUnit.SECONDS));
            return t instanceof ExecutionException && t.getCause() instanceof RequestRejectedException;
        }, "a SUBSCRIBE for the withdrawn namespace to be refused");
        final Throwable thrown = catchThrowable(() -> late.subscribe(NS, Bytes.utf8("audio"),
            SubscribeOptions.LATEST, new Received()).get(5, TimeUnit.SECONDS));
        assertThat(thrown.getCause()).isInstanceOf(RequestRejectedException.class);
        assertThat(((RequestRejectedException)thrown.getCause()).errorCode()).as("no route: DOES_NOT_EXIST")
            .isEqualTo(subscriberDraft.atLeast(18) ? moq.relay.wire.d18.RequestErrorCode.DOES_NOT_EXIST : 0x4);
        assertThat(relay.relay.upstreamSubscribeCount()).as("the relay no longer asks the withdrawn publisher")
            .isEqualTo(upstreamBefore);
        assertThat(other.subscriberCount()).isZero();

        // The established subscription is unaffected, until the publisher ends it.
        assertThat(subscription.ended()).isNotDone();
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 5, 2), 1);
        RelayFixture.await(() -> received.normalObjects() == 10, "group 1 after the withdrawal");
        RelayEndToEndTest.assertDelivered(received, RelayEndToEndTest.script(1, 5, 2), 1);
        track.finish(0x2, "done");
        assertThat(received.done.get(5, TimeUnit.SECONDS)).as("PUBLISH_DONE TRACK_ENDED").isEqualTo(0x2L);
        assertThat(publisher.closed()).isNotDone();
    }
}
