package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d14.FetchCancel;
import moq.relay.wire.d14.FetchError;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.PublishDone;
import moq.relay.wire.d14.PublishError;
import moq.relay.wire.d14.PublishNamespaceDone;
import moq.relay.wire.d14.PublishNamespaceError;
import moq.relay.wire.d14.RequestsBlocked;
import moq.relay.wire.d14.SubscribeError;
import moq.relay.wire.d14.SubscribeNamespace;
import moq.relay.wire.d14.SubscribeNamespaceError;
import moq.relay.wire.d14.SubscribeUpdate;
import moq.relay.wire.d14.TrackStatusError;
import moq.relay.wire.d14.Unsubscribe;
import moq.relay.wire.d14.UnsubscribeNamespace;
import moq.relay.wire.d14.UnsubscribeNamespaceRequest;
import org.junit.jupiter.api.Test;

/**
 * Draft 14 as a {@link ControlStreamDialect}: each request kind's error in its own message and code table, the
 * control messages the session routes by id or namespace, and the per-peer differences (the empty prefix).
 */
class Draft14DialectTest
{
    private final Draft14Dialect dialect = Draft14Dialect.INSTANCE;

    @Test
    void eachKindIsRefusedInItsOwnMessageAndCodeTable()
    {
        assertThat(dialect.error(RequestKind.SUBSCRIBE, 4, RequestErrorCode.DOES_NOT_EXIST, "x"))
            .isEqualTo(new SubscribeError(4, 0x4, Bytes.utf8("x")));
        assertThat(dialect.error(RequestKind.TRACK_STATUS, 4, RequestErrorCode.DOES_NOT_EXIST, "x"))
            .isEqualTo(new TrackStatusError(4, 0x4, Bytes.utf8("x")));
        assertThat(dialect.error(RequestKind.FETCH, 6, RequestErrorCode.INVALID_JOINING_REQUEST_ID,
            "x")).isEqualTo(new FetchError(6, 0x7, Bytes.utf8("x")));
        assertThat(dialect.error(RequestKind.PUBLISH, 8, RequestErrorCode.EXPIRED_AUTH_TOKEN, "x"))
            .isEqualTo(new PublishError(8, 0x1, Bytes.utf8("x")));
        assertThat(dialect.error(RequestKind.PUBLISH_NAMESPACE, 10, RequestErrorCode.PREFIX_OVERLAP,
            "x")).isEqualTo(new PublishNamespaceError(10, 0x5, Bytes.utf8("x")));
        assertThat(dialect.error(RequestKind.SUBSCRIBE_NAMESPACE, 12, RequestErrorCode.GOING_AWAY,
            "going away")).isEqualTo(new SubscribeNamespaceError(12, 0x0, Bytes.utf8("going away")));
    }

    @Test
    void cancelsAreRoutedByIdOrByNamespace() throws Exception
    {
        final TrackNamespace ns = TrackNamespace.of("room", "a");
        assertThat(dialect.read(new Unsubscribe(3), PeerQuirks.NONE))
            .isEqualTo(new ControlStreamMessage.Cancel(RequestKind.SUBSCRIBE, 3));
        assertThat(dialect.read(new FetchCancel(5), PeerQuirks.NONE))
            .isEqualTo(new ControlStreamMessage.Cancel(RequestKind.FETCH, 5));
        assertThat(dialect.read(new UnsubscribeNamespaceRequest(7), PeerQuirks.NONE))
            .isEqualTo(new ControlStreamMessage.Cancel(RequestKind.SUBSCRIBE_NAMESPACE, 7));
        assertThat(dialect.read(new PublishNamespaceDone(ns), PeerQuirks.NONE))
            .isEqualTo(new ControlStreamMessage.CancelNamespace(RequestKind.PUBLISH_NAMESPACE, ns));
        assertThat(dialect.read(new UnsubscribeNamespace(ns), PeerQuirks.NONE))
            .isEqualTo(new ControlStreamMessage.CancelNamespace(RequestKind.SUBSCRIBE_NAMESPACE, ns));
        assertThat(dialect.read(new RequestsBlocked(9), PeerQuirks.NONE))
            .isInstanceOf(ControlStreamMessage.Ignored.class);
    }

    @Test
    void anUpdateNamesItsSubscriptionAndAnUnknownStreamCountIsZero() throws Exception
    {
        assertThat(dialect.read(new SubscribeUpdate(6, 2, new Location(1, 0), 0, 7, false, MessageParameters.EMPTY),
            PeerQuirks.NONE)).isEqualTo(new ControlStreamMessage.Update(6, 2, false, 7, java.util.List.of()));
        final ControlStreamMessage done = dialect.read(new PublishDone(1, 0x2, PublishDone.UNKNOWN_STREAM_COUNT,
            Bytes.utf8("end")), PeerQuirks.NONE);
        assertThat(done).isEqualTo(new ControlStreamMessage.Answer(1, new RequestMessage.Done(0,
            PublishDoneStatus.TRACK_ENDED, "end")));
    }

    @Test
    void theEmptyPrefixIsRefusedExceptForThePeerThatMeansEverything() throws Exception
    {
        final SubscribeNamespace empty = new SubscribeNamespace(2, TrackNamespace.of(), MessageParameters.EMPTY);
        assertThat(dialect.read(empty, PeerQuirks.NONE)).isEqualTo(new ControlStreamMessage.Request(
            new RequestMessage.Refused(2,
                moq.relay.engine.RequestKind.SUBSCRIBE_NAMESPACE, RequestErrorCode.NOT_SUPPORTED,
                "an empty namespace prefix is not allowed in draft-14")));
        final PeerQuirks lite = dialect.quirks(Optional.of(Bytes.utf8(PeerQuirks.MOQ_LITE_JS)));
        assertThat(dialect.read(empty, lite)).isEqualTo(new ControlStreamMessage.Request(
            new RequestMessage.SubscribeNamespace(2,
                TrackNamespace.of(), java.util.List.of())));
    }

    @Test
    void theRelaysOwnSubscribeAndItsUpdateRestateItsStart()
    {
        final FullTrackName track = new FullTrackName(TrackNamespace.of("room"), Bytes.utf8("video"));
        assertThat(dialect.subscribe(1, track, false)).isEqualTo(new moq.relay.wire.d14.Subscribe(1,
            track.namespace(), track.name(), 128, moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, false,
            moq.relay.wire.d14.SubscriptionFilter.largestObject(), MessageParameters.EMPTY));
        assertThat(dialect.forwardUpdate(3, 1, new Location(5, 1), true)).isEqualTo(new SubscribeUpdate(3, 1,
            new Location(5, 1), 0, 128, true, MessageParameters.EMPTY));
    }
}
