package moq.relay.session;

import moq.relay.engine.RequestKind;
import moq.relay.wire.ControlMessage;

/** The engine's kind of a peer's request message, any draft (for the counts of requests refused by the session). */
final class RequestKinds
{
    private RequestKinds()
    {
    }

    /** The kind {@code message} requests, or null when it is no request. Control plane only (a name switch). */
    static RequestKind of(final ControlMessage message)
    {
        switch (message.getClass().getSimpleName())
        {
            case "Subscribe":
                return RequestKind.SUBSCRIBE;
            case "Fetch":
                return RequestKind.FETCH;
            case "PublishNamespace":
                return RequestKind.PUBLISH_NAMESPACE;
            case "SubscribeNamespace":
                return RequestKind.SUBSCRIBE_NAMESPACE;
            case "SubscribeTracks":
                return RequestKind.SUBSCRIBE_TRACKS;
            case "TrackStatus":
                return RequestKind.TRACK_STATUS;
            case "Publish":
                return RequestKind.PUBLISH;
            case "RequestUpdate":
            case "SubscribeUpdate":
                return RequestKind.REQUEST_UPDATE;
            default:
                return null;
        }
    }
}
