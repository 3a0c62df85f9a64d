package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.param.Properties;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.Publish;
import moq.relay.wire.d20.PublishNamespace;
import moq.relay.wire.d20.RequestOk;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeOk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay reads a draft-20 peer named "moq-lite-js" (@moq/net 0.3.4) in its own form, LARGEST_OBJECT with a length
 * prefix ({@code Draft20ControlCodec.ODD_TYPES_LENGTH_PREFIXED}), and every other draft-20 peer as the draft says; what
 * it sends on to others is the draft's form. Hand-written draft-20 peers ({@link RawPeer}) on the real relay; the same
 * with @moq/net in Chromium is BrowserMoqNetDraft20Test.
 */
class MoqNetDraft20FormTest
{
    private static final TrackNamespace NS = TrackNamespace.of("d20", "form");
    private static final Bytes TRACK = Bytes.utf8("video");
    private static final String MOQ_NET = PeerQuirks.MOQ_LITE_JS;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private static List<ControlMessage> messages(final RawPeer.RawBytes stream)
    {
        return stream.decoded(Draft20ControlCodec.INSTANCE);
    }

    /** @moq/net's answer to a SUBSCRIBE for a track with content: LARGEST_OBJECT {1, 3} as 09 02 01 03, a Timescale. */
    private static SubscribeOk moqNetSubscribeOk()
    {
        return new SubscribeOk(1, MessageParameters.of(new Parameter.LengthPrefixedLargestObject(new Location(1, 3))),
            Properties.of(List.of(KeyValuePair.ofVarint(0x08, 1000))));
    }

    /** {@code publisher} publishes {@link #NS}, a draft-20 subscriber subscribes: returns the relay's SUBSCRIBE. */
    private static RecordedMessages upstreamSubscribe(final RawPeer publisher, final RawPeer subscriber,
        final RawPeer.RawBytes[] subscription) throws Exception
    {
        final RawPeer.RawBytes ns = publisher.request(new PublishNamespace(publisher.nextRequestId(), NS,
            MessageParameters.EMPTY));
        RelayFixture.await(() -> messages(ns).contains(RequestOk.EMPTY), "PUBLISH_NAMESPACE accepted");
        subscription[0] = subscriber.request(new Subscribe(subscriber.nextRequestId(), NS, TRACK,
            MessageParameters.of(new Parameter.Forward(true),
                new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT))));
        RelayFixture.await(() -> publisher.relayRequests.stream().anyMatch(r -> r.first(Subscribe.class) != null),
            "the relay's SUBSCRIBE");
        return publisher.relayRequests.stream().filter(r -> r.first(Subscribe.class) != null).findFirst()
            .orElseThrow();
    }

    @Test
    void moqNetsLengthPrefixedLargestObjectIsReadAndOthersGetTheDraftsForm() throws Exception
    {
        try (RawPeer publisher = new RawPeer(relay, certDir, Draft.DRAFT_20, MOQ_NET);
            RawPeer subscriber = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes[] subscription = new RawPeer.RawBytes[1];
            final RecordedMessages upstream = upstreamSubscribe(publisher, subscriber, subscription);
            upstream.channel().writeAndFlush(publisher.encode(moqNetSubscribeOk()));

            RelayFixture.await(() -> !messages(subscription[0]).isEmpty(), "the relay's SUBSCRIBE_OK");
            // Decoded by the draft's codec: the subscriber, named no implementation, gets the bare Location.
            assertThat(messages(subscription[0]).get(0)).isInstanceOfSatisfying(SubscribeOk.class, ok ->
            {
                assertThat(ok.largestObject()).contains(new Location(1, 3));
                assertThat(ok.parameters().entries()).containsExactly(new Parameter.LargestObject(new Location(1, 3)));
            });
            Thread.sleep(200);
            assertThat(publisher.connection.peerClose()).as("the publisher's session stays open").isNotDone();
        }
    }

    @Test
    void theSameBytesFromAPeerNamingNoImplementationAreReadAsTheDraftSaysAndCloseItsSession() throws Exception
    {
        try (RawPeer publisher = new RawPeer(relay, certDir, Draft.DRAFT_20, null);
            RawPeer subscriber = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes[] subscription = new RawPeer.RawBytes[1];
            final RecordedMessages upstream = upstreamSubscribe(publisher, subscriber, subscription);
            upstream.channel().writeAndFlush(publisher.encode(moqNetSubscribeOk()));
            // LARGEST_OBJECT {2, 1}, then "03 08 83e8" as a Track Property of odd type 3 and length 8: it runs past.
            final QuicConnectionCloseEvent close = publisher.connection.peerClose().get(5, TimeUnit.SECONDS);
            assertThat((long)close.error()).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR.code());
        }
    }

    /** A PUBLISH with @moq/net's LARGEST_OBJECT {7, 1} (draft form: the next type delta lands on FILL_TIMEOUT). */
    @Test
    void moqNetsPublishWithALengthPrefixedLargestObjectIsAccepted() throws Exception
    {
        try (RawPeer publisher = new RawPeer(relay, certDir, Draft.DRAFT_20, MOQ_NET))
        {
            final RawPeer.RawBytes published = publisher.request(new Publish(publisher.nextRequestId(), NS, TRACK, 3,
                MessageParameters.of(new Parameter.LengthPrefixedLargestObject(new Location(7, 1)),
                    new Parameter.Forward(true)), Properties.EMPTY));
            RelayFixture.await(() -> !messages(published).isEmpty(), "the answer to PUBLISH");
            assertThat(messages(published).get(0)).isEqualTo(RequestOk.EMPTY);
            Thread.sleep(200);
            assertThat(publisher.connection.peerClose()).isNotDone();
        }
    }
}
