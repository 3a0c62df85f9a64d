package moq.relay.session;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import moq.relay.session.request.RequesterSide;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.TrackNamespace;

/**
 * A control-stream draft's NAMESPACE (draft 14, in its {@link ControlStreamDialect}'s records): the namespaces a peer's SUBSCRIBE_NAMESPACE matches go out as PUBLISH_NAMESPACE requests of
 * the relay's own, each waiting for a request id the peer's MAX_REQUEST_ID allows ({@link OwnRequests}), and are
 * withdrawn with PUBLISH_NAMESPACE_DONE (only if the PUBLISH_NAMESPACE went out). Each is an {@link RequesterSide},
 * the machine the client's PUBLISH_NAMESPACE runs too. Event loop.
 */
final class ControlStreamAnnouncements implements ControlStreamReplies.Announcer
{
    private final ControlStreamDialect dialect;
    private final OwnRequests ownRequests;
    private final Consumer<ControlMessage> control;
    private final BooleanSupplier closed;
    /** Namespaces announced to the peer (sent, or queued for a request id). */
    private final Map<TrackNamespace, RequesterSide> announced = new HashMap<>();

    ControlStreamAnnouncements(final ControlStreamDialect dialect, final OwnRequests ownRequests,
        final Consumer<ControlMessage> control, final BooleanSupplier closed)
    {
        this.dialect = dialect;
        this.ownRequests = ownRequests;
        this.control = control;
        this.closed = closed;
    }

    @Override
    public void announce(final TrackNamespace namespace)
    {
        if (closed.getAsBoolean() || announced.containsKey(namespace))
        {
            return;
        }
        final RequesterSide a = new RequesterSide();
        announced.put(namespace, a);
        final boolean queued = ownRequests.submit(new OwnRequests.Request()
        {
            @Override
            public boolean obsolete()
            {
                return announced.get(namespace) != a; // withdrawn (or unsubscribed) before it could be sent
            }

            @Override
            public void send(final long requestId)
            {
                if (a.sent())
                {
                    control.accept(dialect.publishNamespace(requestId, namespace));
                }
            }
        });
        if (!queued)
        {
            announced.remove(namespace);
        }
    }

    @Override
    public void withdraw(final TrackNamespace namespace)
    {
        final RequesterSide a = announced.remove(namespace);
        if (a != null && a.cancelled())
        {
            control.accept(dialect.publishNamespaceDone(namespace));
        }
    }

    /** The peer unsubscribed {@code prefix}: what is announced under it is forgotten (nothing is withdrawn). */
    void forgetUnder(final TrackNamespace prefix)
    {
        announced.keySet().removeIf(ns -> ns.startsWith(prefix));
    }
}
