package moq.relay.engine;

import java.util.List;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/** The answer to a FETCH: exactly one call. Threading as {@link RequestCallback}. */
public interface FetchCallback
{
    /**
     * FETCH_OK. {@code endLocation} uses the FETCH encoding (the last object plus one; object 0 = the whole group);
     * the objects follow on the {@link moq.relay.fanout.FetchWriter} from the egress loop.
     */
    void ok(boolean endOfTrack, Location endLocation, List<KeyValuePair> trackProperties);

    void error(RequestErrorCode code, String reason);
}
