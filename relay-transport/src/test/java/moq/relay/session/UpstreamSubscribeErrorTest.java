package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubscribeOptions;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The publisher of a namespace answers the relay's upstream SUBSCRIBE with an error: the downstream subscriber gets
 * REQUEST_ERROR (draft-18) / SUBSCRIBE_ERROR (draft-14) with the error mapped into its own draft, and its session
 * stays usable.
 */
class UpstreamSubscribeErrorTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    @ParameterizedTest(name = "{0} publisher, {1} subscriber")
    @CsvSource({"DRAFT_18, DRAFT_18, 0x10", "DRAFT_14, DRAFT_14, 0x4", "DRAFT_14, DRAFT_18, 0x10",
        "DRAFT_18, DRAFT_14, 0x4", "DRAFT_20, DRAFT_20, 0x10", "DRAFT_20, DRAFT_14, 0x4", "DRAFT_14, DRAFT_20, 0x10"})
    void publisherErrorOnUpstreamSubscribeReachesTheSubscriberWithTheMappedCode(final Draft publisherDraft,
        final Draft subscriberDraft, final String expectedCode) throws Exception
    {
        final MoqClient publisher = relay.connect(publisherDraft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        // The publisher registers no track "missing": it answers the relay's SUBSCRIBE with DOES_NOT_EXIST
        // (draft-18 REQUEST_ERROR 0x10, draft-14 SUBSCRIBE_ERROR TRACK_DOES_NOT_EXIST 0x4), reason "no such track".
        final MoqClient subscriber = relay.connect(subscriberDraft);
        final Throwable thrown = catchThrowable(() -> subscriber.subscribe(NS, Bytes.utf8("missing"),
            SubscribeOptions.LATEST, new Received()).get(5, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(RequestRejectedException.class);
        final RequestRejectedException rejected = (RequestRejectedException)thrown.getCause();
        assertThat(rejected.errorCode()).as("error code in the subscriber's draft")
            .isEqualTo(Long.decode(expectedCode));
        assertThat(relay.relay.upstreamSubscribeCount()).as("the relay asked the publisher (not answered itself)")
            .isEqualTo(1);

        // Both sessions are healthy: a track that exists flows right after.
        final var track = publisher.track(NS, RelayEndToEndTest.TRACK, 100);
        final Received received = new Received();
        subscriber.subscribe(NS, RelayEndToEndTest.TRACK, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 3, 1), 0);
        RelayFixture.await(() -> received.normalObjects() == 3, "the existing track's objects");
        assertThat(relay.relay.upstreamSubscribeCount()).as("a fresh upstream SUBSCRIBE, not a stale failed one")
            .isEqualTo(2);
        assertThat(relay.server.sessionCount()).isEqualTo(2);
    }
}
