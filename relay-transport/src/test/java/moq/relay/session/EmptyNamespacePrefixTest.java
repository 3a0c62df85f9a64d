package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.PublishNamespace;
import moq.relay.wire.d14.SubscribeNamespace;
import moq.relay.wire.d14.SubscribeNamespaceError;
import moq.relay.wire.d14.SubscribeNamespaceOk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Draft-14 SUBSCRIBE_NAMESPACE with an empty prefix, which @moq/lite (and so @moq/publish and @moq/watch) sends for
 * broadcast discovery although draft 14 allows 1 to 32 fields. One bad request must not end a call: a peer that names
 * no known implementation gets SUBSCRIBE_NAMESPACE_ERROR and keeps its session; "moq-lite-js" gets what it asked for,
 * every namespace (as moq-dev's relay and later drafts do).
 */
class EmptyNamespacePrefixTest
{
    /** SUBSCRIBE_NAMESPACE (0x11), length 3: request id 0, a prefix of 0 fields, 0 parameters. */
    private static final byte[] EMPTY_PREFIX_SUBSCRIBE_NAMESPACE = {0x11, 0x00, 0x03, 0x00, 0x00, 0x00};

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private static boolean announced(final RawPeer peer, final TrackNamespace ns)
    {
        return peer.control.decoded().stream()
            .anyMatch(m -> m instanceof PublishNamespace && ((PublishNamespace)m).trackNamespace().equals(ns));
    }

    @Test
    void aPeerWithoutTheQuirkGetsARequestErrorAndKeepsItsSession() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_14, null))
        {
            peer.sendRaw(EMPTY_PREFIX_SUBSCRIBE_NAMESPACE);
            assertThat(peer.nextRequestId()).isZero();
            RelayFixture.await(() -> peer.control.first(SubscribeNamespaceError.class) != null,
                "SUBSCRIBE_NAMESPACE_ERROR");
            final SubscribeNamespaceError error = peer.control.first(SubscribeNamespaceError.class);
            assertThat(error.requestId()).isZero();
            assertThat(error.errorCode()).as("NOT_SUPPORTED").isEqualTo(0x3);

            // The session goes on: a proper prefix works.
            peer.send(new SubscribeNamespace(peer.nextRequestId(), TrackNamespace.of("live"),
                MessageParameters.EMPTY));
            RelayFixture.await(() -> peer.control.first(SubscribeNamespaceOk.class) != null,
                "SUBSCRIBE_NAMESPACE_OK for a proper prefix");
            relay.connect(Draft.DRAFT_18).publishNamespace(NS).get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> announced(peer, NS), "PUBLISH_NAMESPACE of a matching namespace");
            assertThat(peer.connection.peerClose()).isNotDone();
        }
    }

    @Test
    void moqLiteJsIsGivenEveryNamespace() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_14, PeerQuirks.MOQ_LITE_JS))
        {
            final TrackNamespace elsewhere = TrackNamespace.of("other", "thing");
            relay.connect(Draft.DRAFT_18).publishNamespace(NS).get(5, TimeUnit.SECONDS);
            peer.sendRaw(EMPTY_PREFIX_SUBSCRIBE_NAMESPACE);
            RelayFixture.await(() -> peer.control.first(SubscribeNamespaceOk.class) != null,
                "SUBSCRIBE_NAMESPACE_OK");
            RelayFixture.await(() -> announced(peer, NS), "PUBLISH_NAMESPACE of the existing namespace");
            relay.connect(Draft.DRAFT_18).publishNamespace(elsewhere).get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> announced(peer, elsewhere), "PUBLISH_NAMESPACE of a new namespace");
            assertThat(peer.control.first(SubscribeNamespaceError.class)).isNull();
            assertThat(peer.connection.peerClose()).isNotDone();
        }
    }
}
