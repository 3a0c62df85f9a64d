package moq.relay.session;

import moq.relay.transport.session.MoqTransport;
import java.util.List;
import java.util.function.Consumer;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.request.Replies;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d14.FetchError;
import moq.relay.wire.d14.FetchOk;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.PublishDone;
import moq.relay.wire.d14.PublishError;
import moq.relay.wire.d14.PublishNamespaceError;
import moq.relay.wire.d14.PublishNamespaceOk;
import moq.relay.wire.d14.SubscribeError;
import moq.relay.wire.d14.SubscribeNamespaceError;
import moq.relay.wire.d14.SubscribeNamespaceOk;
import moq.relay.wire.d14.SubscribeOk;
import moq.relay.wire.d14.TrackStatusError;
import moq.relay.wire.d14.TrackStatusOk;

/**
 * Draft 14's answers to one request: messages with the request id on the control stream; each request kind has its
 * own OK and ERROR messages and error-code table ({@link Draft14Codes}); SUBSCRIBE_UPDATE has no answer. The
 * namespaces a SUBSCRIBE_NAMESPACE matches go out as the relay's own PUBLISH_NAMESPACE requests ({@link Announcer}).
 * Event loop.
 */
final class Draft14Replies implements Replies
{
    /** The draft-14 request kinds, by the answers they have. */
    enum Kind
    {
        SUBSCRIBE,
        FETCH,
        TRACK_STATUS,
        PUBLISH,
        PUBLISH_NAMESPACE,
        SUBSCRIBE_NAMESPACE
    }

    /** Announces to the peer, with PUBLISH_NAMESPACE, a namespace its SUBSCRIBE_NAMESPACE matches, or withdraws it. */
    interface Announcer
    {
        void announce(TrackNamespace namespace);

        void withdraw(TrackNamespace namespace);
    }

    private static final Announcer NO_ANNOUNCEMENTS = new Announcer()
    {
        @Override
        public void announce(final TrackNamespace namespace)
        {
        }

        @Override
        public void withdraw(final TrackNamespace namespace)
        {
        }
    };

    private final Consumer<ControlMessage> control;
    private final Kind kind;
    private final long requestId;
    private final TrackNamespace prefix;
    private final Announcer announcer;

    Draft14Replies(final Consumer<ControlMessage> control, final Kind kind, final long requestId)
    {
        this(control, kind, requestId, null, NO_ANNOUNCEMENTS);
    }

    /** For a SUBSCRIBE_NAMESPACE of {@code prefix}. */
    Draft14Replies(final Consumer<ControlMessage> control, final Kind kind, final long requestId,
        final TrackNamespace prefix, final Announcer announcer)
    {
        this.control = control;
        this.kind = kind;
        this.requestId = requestId;
        this.prefix = prefix;
        this.announcer = announcer;
    }

    private static Bytes reason(final String reason)
    {
        return Bytes.utf8(MoqtSession.truncate(reason));
    }

    @Override
    public void subscribeOk(final long trackAlias, final Location largest, final List<KeyValuePair> properties)
    {
        control.accept(new SubscribeOk(requestId, trackAlias, 0, moq.relay.wire.d14.GroupOrder.ASCENDING, largest,
            MessageParameters.EMPTY));
    }

    @Override
    public void fetchOk(final GroupOrder order, final boolean endOfTrack, final Location end,
        final List<KeyValuePair> properties)
    {
        control.accept(new FetchOk(requestId, order == GroupOrder.DESCENDING ?
            moq.relay.wire.d14.GroupOrder.DESCENDING : moq.relay.wire.d14.GroupOrder.ASCENDING, endOfTrack, end,
            MessageParameters.EMPTY));
    }

    @Override
    public void trackStatus(final Location largest, final boolean endOfTrack, final List<KeyValuePair> properties)
    {
        control.accept(new TrackStatusOk(requestId, 0, 0, moq.relay.wire.d14.GroupOrder.ASCENDING, largest,
            MessageParameters.EMPTY));
    }

    @Override
    public void ok()
    {
        control.accept(kind == Kind.PUBLISH_NAMESPACE ? new PublishNamespaceOk(requestId) :
            new SubscribeNamespaceOk(requestId));
    }

    @Override
    public void namespace(final TrackNamespace suffix)
    {
        announcer.announce(prefix.append(suffix));
    }

    @Override
    public void namespaceDone(final TrackNamespace suffix)
    {
        announcer.withdraw(prefix.append(suffix));
    }

    @Override
    public void error(final RequestErrorCode code, final String why)
    {
        switch (kind)
        {
            case SUBSCRIBE:
                control.accept(new SubscribeError(requestId, Draft14Codes.subscribeError(code), reason(why)));
                break;
            case FETCH:
                control.accept(new FetchError(requestId, fetchError(code), reason(why)));
                break;
            case TRACK_STATUS:
                control.accept(new TrackStatusError(requestId, Draft14Codes.subscribeError(code), reason(why)));
                break;
            case PUBLISH:
                control.accept(new PublishError(requestId, Draft14Codes.publishError(code), reason(why)));
                break;
            case PUBLISH_NAMESPACE:
                control.accept(new PublishNamespaceError(requestId, Draft14Codes.namespaceError(code), reason(why)));
                break;
            default:
                control.accept(new SubscribeNamespaceError(requestId, Draft14Codes.namespaceError(code),
                    reason(why)));
                break;
        }
    }

    /** FETCH_ERROR has its own table in draft-14 (INVALID_JOINING_REQUEST_ID 0x7, ...). */
    private static long fetchError(final RequestErrorCode code)
    {
        switch (code)
        {
            case INVALID_JOINING_REQUEST_ID:
                return 0x7;
            case MALFORMED_TRACK:
                return 0x9;
            default:
                return Draft14Codes.subscribeError(code);
        }
    }

    @Override
    public void publishDone(final PublishDoneStatus status, final long streamCount, final String why)
    {
        control.accept(new PublishDone(requestId, Draft14Codes.publishDone(status), streamCount, reason(why)));
    }

    @Override
    public void updated()
    {
        // draft-14 SUBSCRIBE_UPDATE has no answer
    }

    @Override
    public void updateRefused(final RequestErrorCode code, final String reason)
    {
        // draft-14 SUBSCRIBE_UPDATE has no answer
    }

    @Override
    public void grantExpired(final MoqTransport transport, final TrackNamespace namespace)
    {
        if (kind == Kind.PUBLISH_NAMESPACE && namespace != null)
        {
            control.accept(new moq.relay.wire.d14.PublishNamespaceCancel(namespace,
                moq.relay.auth.AuthFailure.EXPIRED_AUTH_TOKEN.requestErrorCode(moq.relay.wire.Draft.DRAFT_14, false),
                reason("authorization expired")));
        }
    }

    @Override
    public void end()
    {
        // the control stream carries every request: nothing ends with one
    }
}
