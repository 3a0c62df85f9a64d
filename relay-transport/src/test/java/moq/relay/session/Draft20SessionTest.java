package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.Goaway;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.param.ParameterType;
import moq.relay.wire.d20.Publish;
import moq.relay.wire.d20.PublishNamespace;
import moq.relay.wire.d20.PublishStateNotify;
import moq.relay.wire.d20.RangeFilter;
import moq.relay.wire.d20.RequestError;
import moq.relay.wire.d20.RequestOk;
import moq.relay.wire.d20.RequestUpdate;
import moq.relay.wire.d20.SetupOption;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeOk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the draft-20 dialect does beyond draft 18's shape, against the real relay with a hand-written draft-20 peer
 * ({@link RawPeer}): GOAWAY on a request stream (once), Range Filters beyond the MAX_FILTER_RANGES the relay
 * announces refused with INVALID_FILTER, PUBLISH_STATE_NOTIFY only from a publisher, a REQUEST_UPDATE from the wrong
 * side, PUBLISH_OK without Forward and the peer's MAX_REQUEST_UPDATES holding back the relay's Forward updates.
 */
class Draft20SessionTest
{
    private static final TrackNamespace NS = TrackNamespace.of("d20", "test");
    private static final Bytes TRACK = Bytes.utf8("video");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private static List<ControlMessage> messages(final RawPeer.RawBytes stream)
    {
        return stream.decoded(Draft20ControlCodec.INSTANCE);
    }

    @Test
    void aSecondGoawayOnOneRequestStreamIsAProtocolViolation() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes stream = peer.request(new PublishNamespace(peer.nextRequestId(), NS,
                MessageParameters.EMPTY));
            RelayFixture.await(() -> messages(stream).contains(RequestOk.EMPTY), "REQUEST_OK");
            stream.channel().writeAndFlush(peer.encode(new Goaway(Bytes.utf8(""), 0)));
            Thread.sleep(300);
            assertThat(peer.connection.peerClose()).as("one GOAWAY per request stream is allowed").isNotDone();

            stream.channel().writeAndFlush(peer.encode(new Goaway(Bytes.utf8(""), 0)));
            final QuicConnectionCloseEvent close = peer.connection.peerClose().get(5, TimeUnit.SECONDS);
            assertThat((long)close.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION.code());
        }
    }

    @Test
    void rangeFiltersBeyondMaxFilterRangesAreRefusedWithInvalidFilterAndTheSessionGoesOn() throws Exception
    {
        // One Range more than the default MAX_FILTER_RANGES (moq.relay.session.max.filter.ranges).
        final RangeFilter.Range[] ranges =
            new RangeFilter.Range[RelayConfiguration.SESSION_MAX_FILTER_RANGES_DEFAULT + 1];
        for (int i = 0; i < ranges.length; i++)
        {
            ranges[i] = new RangeFilter.Range(2L * i, 2L * i);
        }
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes stream = peer.request(new Subscribe(peer.nextRequestId(), NS, TRACK,
                MessageParameters.of(new Parameter.Range(RangeFilter.of(ParameterType.SUBGROUP_FILTER, 0, 0,
                    ranges)))));
            RelayFixture.await(() -> !messages(stream).isEmpty(), "the answer");
            assertThat(messages(stream).get(0)).isInstanceOfSatisfying(RequestError.class,
                e -> assertThat(e.errorCode()).as("INVALID_FILTER").isEqualTo(0x36));

            final RawPeer.RawBytes namespace = peer.request(new PublishNamespace(peer.nextRequestId(), NS,
                MessageParameters.EMPTY));
            RelayFixture.await(() -> messages(namespace).contains(RequestOk.EMPTY), "the session still serves");
        }
    }

    @Test
    void publishStateNotifyFromTheSubscriberIsAProtocolViolation() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_20);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        publisher.track(NS, TRACK, 100);
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes stream = peer.request(new Subscribe(peer.nextRequestId(), NS, TRACK,
                MessageParameters.of(new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT))));
            RelayFixture.await(() -> !messages(stream).isEmpty() && messages(stream).get(0) instanceof SubscribeOk,
                "SUBSCRIBE_OK");
            stream.channel().writeAndFlush(peer.encode(new PublishStateNotify(MessageParameters.EMPTY)));
            final QuicConnectionCloseEvent close = peer.connection.peerClose().get(5, TimeUnit.SECONDS);
            assertThat((long)close.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION.code());
        }
    }

    /**
     * Draft 20 §9.5: a parameter a REQUEST_UPDATE leaves out keeps its value. A Forward=0 subscriber that changes only
     * its priority creates no demand, so the publisher is not asked to forward; its Forward=1 update does.
     */
    @Test
    void anUpdateWithoutForwardKeepsTheSubscriptionsForwardState() throws Exception
    {
        try (RawPeer publisher = new RawPeer(relay, certDir, Draft.DRAFT_20, null);
            RawPeer subscriber = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes ns = publisher.request(new PublishNamespace(publisher.nextRequestId(), NS,
                MessageParameters.EMPTY));
            RelayFixture.await(() -> messages(ns).contains(RequestOk.EMPTY), "PUBLISH_NAMESPACE accepted");
            final RawPeer.RawBytes published = publisher.request(new Publish(publisher.nextRequestId(), NS, TRACK, 5,
                MessageParameters.EMPTY, moq.relay.wire.param.Properties.EMPTY));
            RelayFixture.await(() -> messages(published).size() >= 2, "PUBLISH_OK and Forward=0");
            published.channel().writeAndFlush(publisher.encode(RequestOk.EMPTY));

            final RawPeer.RawBytes stream = subscriber.request(new Subscribe(subscriber.nextRequestId(), NS, TRACK,
                MessageParameters.of(new Parameter.Forward(false),
                    new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT))));
            RelayFixture.await(() -> !messages(stream).isEmpty() && messages(stream).get(0) instanceof SubscribeOk,
                "SUBSCRIBE_OK");
            stream.channel().writeAndFlush(subscriber.encode(new RequestUpdate(subscriber.nextRequestId(),
                MessageParameters.of(new Parameter.SubscriberPriority(5)))));
            RelayFixture.await(() -> messages(stream).size() >= 2, "REQUEST_OK of the update");
            Thread.sleep(300);
            assertThat(messages(published)).as("no demand: the publisher is not asked to forward").hasSize(2);

            stream.channel().writeAndFlush(subscriber.encode(new RequestUpdate(subscriber.nextRequestId(),
                MessageParameters.of(new Parameter.Forward(true)))));
            RelayFixture.await(() -> messages(published).size() >= 3, "Forward=1 to the publisher");
            assertThat(messages(published).get(2)).isInstanceOfSatisfying(RequestUpdate.class,
                u -> assertThat(u.parameters().forward()).contains(true));
        }
    }

    /** Draft 20 §9.5: a REQUEST_UPDATE the request cannot have (here from the publisher of a PUBLISH) closes. */
    @Test
    void aRequestUpdateFromThePublisherOfItsPublishIsAProtocolViolation() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes stream = peer.request(new Publish(peer.nextRequestId(), NS, TRACK, 3,
                MessageParameters.EMPTY, moq.relay.wire.param.Properties.EMPTY));
            RelayFixture.await(() -> messages(stream).contains(RequestOk.EMPTY), "PUBLISH_OK");
            stream.channel().writeAndFlush(peer.encode(new RequestUpdate(peer.nextRequestId(),
                MessageParameters.of(new Parameter.Forward(true)))));
            final QuicConnectionCloseEvent close = peer.connection.peerClose().get(5, TimeUnit.SECONDS);
            assertThat((long)close.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION.code());
        }
    }

    /**
     * A PUBLISH nobody subscribes to is told Forward=0 by a REQUEST_UPDATE after PUBLISH_OK (draft 20's PUBLISH_OK has
     * no Forward); with MAX_REQUEST_UPDATES 1 the Forward=1 a new subscriber needs waits for that update's answer.
     */
    @Test
    void forwardUpdatesFollowPublishOkAndWaitWithinMaxRequestUpdates() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null, KeyValuePair.ofVarint(
            SetupOption.MAX_REQUEST_UPDATES, 1)))
        {
            final RawPeer.RawBytes ns = peer.request(new PublishNamespace(peer.nextRequestId(), NS,
                MessageParameters.EMPTY));
            RelayFixture.await(() -> messages(ns).contains(RequestOk.EMPTY), "PUBLISH_NAMESPACE accepted");
            final RawPeer.RawBytes stream = peer.request(new Publish(peer.nextRequestId(), NS, TRACK, 7,
                MessageParameters.EMPTY, moq.relay.wire.param.Properties.EMPTY));
            RelayFixture.await(() -> messages(stream).size() >= 2, "PUBLISH_OK and REQUEST_UPDATE");
            assertThat(messages(stream).get(0)).as("PUBLISH_OK carries only EXPIRES").isEqualTo(RequestOk.EMPTY);
            assertThat(messages(stream).get(1)).isInstanceOfSatisfying(RequestUpdate.class,
                u -> assertThat(u.parameters().forward()).contains(false));

            final MoqClient subscriber = relay.connect(Draft.DRAFT_20);
            subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, o -> { }).get(5, TimeUnit.SECONDS);
            Thread.sleep(300);
            assertThat(messages(stream)).as("Forward=1 held: one update unanswered").hasSize(2);

            stream.channel().writeAndFlush(peer.encode(RequestOk.EMPTY));
            RelayFixture.await(() -> messages(stream).size() >= 3, "the held update");
            assertThat(messages(stream).get(2)).isInstanceOfSatisfying(RequestUpdate.class,
                u -> assertThat(u.parameters().forward()).contains(true));
        }
    }
}
