package moq.relay.session;

import java.util.List;
import java.util.function.Consumer;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.request.Replies;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * The answers to one request of a control-stream draft (14), in its {@link ControlStreamDialect}'s records: messages
 * with the request id on the control stream, each in the OK or ERROR message of the request's {@link
 * RequestKind}; an update has no answer. The namespaces a SUBSCRIBE_NAMESPACE matches go out as the
 * relay's own PUBLISH_NAMESPACE requests ({@link Announcer}). Event loop.
 */
final class ControlStreamReplies implements Replies
{
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

    private final ControlStreamDialect dialect;
    private final Consumer<ControlMessage> control;
    private final RequestKind kind;
    private final long requestId;
    private final TrackNamespace prefix;
    private final Announcer announcer;

    ControlStreamReplies(final ControlStreamDialect dialect, final Consumer<ControlMessage> control,
        final RequestKind kind, final long requestId)
    {
        this(dialect, control, kind, requestId, null, NO_ANNOUNCEMENTS);
    }

    /** For a SUBSCRIBE_NAMESPACE of {@code prefix}. */
    ControlStreamReplies(final ControlStreamDialect dialect, final Consumer<ControlMessage> control,
        final RequestKind kind, final long requestId, final TrackNamespace prefix,
        final Announcer announcer)
    {
        this.dialect = dialect;
        this.control = control;
        this.kind = kind;
        this.requestId = requestId;
        this.prefix = prefix;
        this.announcer = announcer;
    }

    @Override
    public void subscribeOk(final long trackAlias, final Location largest, final List<KeyValuePair> properties)
    {
        control.accept(dialect.subscribeOk(requestId, trackAlias, largest, properties));
    }

    @Override
    public void fetchOk(final GroupOrder order, final boolean endOfTrack, final Location end,
        final List<KeyValuePair> properties)
    {
        control.accept(dialect.fetchOk(requestId, order, endOfTrack, end, properties));
    }

    @Override
    public void trackStatus(final Location largest, final boolean endOfTrack, final List<KeyValuePair> properties)
    {
        control.accept(dialect.trackStatusOk(requestId, largest, properties));
    }

    @Override
    public void ok()
    {
        control.accept(dialect.ok(kind, requestId));
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
    public void error(final RequestErrorCode code, final String reason)
    {
        control.accept(dialect.error(kind, requestId, code, reason));
    }

    @Override
    public void publishDone(final PublishDoneStatus status, final long streamCount, final String reason)
    {
        control.accept(dialect.publishDone(requestId, status, streamCount, reason));
    }

    @Override
    public void updated()
    {
        // an update (draft-14 SUBSCRIBE_UPDATE) has no answer
    }

    @Override
    public void updateRefused(final RequestErrorCode code, final String reason)
    {
        // an update (draft-14 SUBSCRIBE_UPDATE) has no answer
    }

    @Override
    public void grantExpired(final MoqTransport transport, final TrackNamespace namespace)
    {
        if (kind == RequestKind.PUBLISH_NAMESPACE && namespace != null)
        {
            control.accept(dialect.namespaceGrantExpired(namespace));
        }
    }

    @Override
    public void end()
    {
        // the control stream carries every request: nothing ends with one
    }
}
