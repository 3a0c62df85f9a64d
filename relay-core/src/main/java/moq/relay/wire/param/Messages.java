package moq.relay.wire.param;

import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;

import java.util.Optional;

/**
 * The messages drafts 18 and 20 lay out alike, as both drafts' records present them: a session or client reads a
 * peer's message through these, once for both drafts, and asks the draft (its dialect) only where the drafts differ
 * (filters, FETCH, GOAWAY's request id, defaults of REQUEST_UPDATE). Each draft's records still decode, check and write their own
 * bytes; a draft's codec never yields another draft's record.
 */
public final class Messages
{
    private Messages()
    {
    }

    /** A message on a request stream that carries Message Parameters. */
    public interface WithParameters extends ControlMessage
    {
        ParameterBlock parameters();
    }

    /** A request: it opens a request stream (or, REQUEST_UPDATE, names one by id). */
    public interface Request extends WithParameters
    {
        long requestId();
    }

    /** SUBSCRIBE: its filter is the draft's own. */
    public interface Subscribe extends Request
    {
        TrackNamespace namespace();

        Bytes trackName();

        boolean forward();

        int subscriberPriority();

        Optional<GroupOrder> groupOrder();

        long rendezvousTimeoutMillis();
    }

    /** PUBLISH. */
    public interface Publish extends Request
    {
        TrackNamespace namespace();

        Bytes trackName();

        long trackAlias();

        Properties trackProperties();

        Optional<Location> largestObject();

        boolean forward();
    }

    /** TRACK_STATUS. */
    public interface TrackStatus extends Request
    {
        TrackNamespace namespace();

        Bytes trackName();
    }

    /** PUBLISH_NAMESPACE. */
    public interface PublishNamespace extends Request
    {
        TrackNamespace namespace();
    }

    /** SUBSCRIBE_NAMESPACE. */
    public interface SubscribeNamespace extends Request
    {
        TrackNamespace prefix();
    }

    /** SUBSCRIBE_TRACKS. */
    public interface SubscribeTracks extends Request
    {
        TrackNamespace prefix();
    }

    /** REQUEST_UPDATE: what an omitted parameter means is the draft's. */
    public interface RequestUpdate extends Request
    {
    }

    /** SUBSCRIBE_OK. */
    public interface SubscribeOk extends WithParameters
    {
        long trackAlias();

        Optional<Location> largestObject();

        Properties trackProperties();
    }

    /** REQUEST_OK (PUBLISH_OK, TRACK_STATUS_OK, the namespace requests' OK, an update's OK). */
    public interface RequestOk extends WithParameters
    {
        Properties trackProperties();
    }

    /** REQUEST_ERROR. */
    public interface RequestError extends ControlMessage
    {
        long errorCode();

        long retryInterval();

        Bytes reason();
    }

    /** GOAWAY (draft 18's also carries a request id on the control stream, draft 20's none). */
    public interface Goaway extends ControlMessage
    {
        Bytes newSessionUri();

        /** Checks a GOAWAY a server received (a client must not name a new session URI). */
        void validateReceivedByServer() throws WireException;
    }

    /** PUBLISH_DONE. */
    public interface PublishDone extends ControlMessage
    {
        long statusCode();

        long streamCount();

        Bytes reason();
    }
}
