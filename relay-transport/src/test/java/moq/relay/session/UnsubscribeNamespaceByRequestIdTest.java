package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.PublishNamespace;
import moq.relay.wire.d14.SubscribeNamespace;
import moq.relay.wire.d14.SubscribeNamespaceOk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * @moq/lite 0.2.2 on draft 14 writes UNSUBSCRIBE_NAMESPACE as the later drafts do, a bare Request ID, where draft 14
 * has the Track Namespace Prefix. Read as the draft's form, request id 2 claims a 2-field prefix in a 1-byte payload:
 * malformed, and the session (a call) would end when the page stops discovery. A "moq-lite-js" session reads the
 * request-id form and cancels that SUBSCRIBE_NAMESPACE; any other peer gets the draft.
 */
class UnsubscribeNamespaceByRequestIdTest
{
    /** UNSUBSCRIBE_NAMESPACE (0x14), length 1, as @moq/lite writes it: Request ID 2. */
    private static final byte[] UNSUBSCRIBE_REQUEST_2 = {0x14, 0x00, 0x01, 0x02};
    /** The same with a request id the peer never used. */
    private static final byte[] UNSUBSCRIBE_REQUEST_98 = {0x14, 0x00, 0x02, 0x40, 0x62};

    private static final TrackNamespace LIVE = TrackNamespace.of("live");
    private static final TrackNamespace OTHER = TrackNamespace.of("other");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private static boolean announced(final RawPeer peer, final TrackNamespace ns)
    {
        return peer.control.decoded().stream()
            .anyMatch(m -> m instanceof PublishNamespace && ((PublishNamespace)m).trackNamespace().equals(ns));
    }

    private static void subscribeNamespace(final RawPeer peer, final long id, final TrackNamespace prefix)
        throws InterruptedException
    {
        peer.send(new SubscribeNamespace(id, prefix, MessageParameters.EMPTY));
        RelayFixture.await(() -> peer.control.decoded().stream()
            .anyMatch(m -> m instanceof SubscribeNamespaceOk && ((SubscribeNamespaceOk)m).requestId() == id),
            "SUBSCRIBE_NAMESPACE_OK " + id);
    }

    @Test
    void moqLiteJsUnsubscribesTheNamespaceSubscriptionItsRequestIdNames() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_14, PeerQuirks.MOQ_LITE_JS))
        {
            subscribeNamespace(peer, peer.nextRequestId(), OTHER);
            final long liveId = peer.nextRequestId();
            assertThat(liveId).isEqualTo(2);
            subscribeNamespace(peer, liveId, LIVE);

            peer.sendRaw(UNSUBSCRIBE_REQUEST_98); // no such request: ignored
            peer.sendRaw(UNSUBSCRIBE_REQUEST_2);

            // Published after the unsubscribe, "live/a" first: were it still forwarded, it would come before "other/b".
            final MoqClient publisher = relay.connect(Draft.DRAFT_18);
            final TrackNamespace liveRoom = TrackNamespace.of("live", "a");
            final TrackNamespace otherRoom = TrackNamespace.of("other", "b");
            publisher.publishNamespace(liveRoom).get(5, TimeUnit.SECONDS);
            publisher.publishNamespace(otherRoom).get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> announced(peer, otherRoom), "PUBLISH_NAMESPACE under the prefix still subscribed");
            assertThat(announced(peer, liveRoom)).as("announced under the unsubscribed prefix").isFalse();
            assertThat(peer.connection.peerClose()).isNotDone();

            // The prefix is free again: a new SUBSCRIBE_NAMESPACE for it is served.
            subscribeNamespace(peer, peer.nextRequestId(), LIVE);
            RelayFixture.await(() -> announced(peer, liveRoom), "PUBLISH_NAMESPACE after subscribing again");
            assertThat(peer.connection.peerClose()).isNotDone();
        }
    }

    @Test
    void aPeerWithoutTheQuirkSendingTheRequestIdFormIsClosedAsTheDraftSays() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_14, null))
        {
            subscribeNamespace(peer, peer.nextRequestId(), OTHER);
            subscribeNamespace(peer, peer.nextRequestId(), LIVE);

            peer.sendRaw(UNSUBSCRIBE_REQUEST_2);

            assertThat((long)peer.connection.peerClose().get(5, TimeUnit.SECONDS).error())
                .as("PROTOCOL_VIOLATION").isEqualTo(SessionError.PROTOCOL_VIOLATION.code());
        }
    }
}
