package moq.relay.engine;

import java.util.List;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/** The answer to a downstream SUBSCRIBE: exactly one call. Threading as {@link RequestCallback}. */
public interface SubscribeCallback
{
    /**
     * SUBSCRIBE_OK. {@code largest} is the track's largest location (LARGEST_OBJECT), or null when no object exists yet;
     * {@code trackProperties} are the upstream's track properties, to forward unchanged.
     */
    void ok(DownstreamSubscription subscription, Location largest, List<KeyValuePair> trackProperties);

    void error(RequestErrorCode code, String reason);
}
