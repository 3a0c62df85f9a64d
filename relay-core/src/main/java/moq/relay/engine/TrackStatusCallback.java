package moq.relay.engine;

import java.util.List;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/** The answer to TRACK_STATUS: exactly one call. Threading as {@link RequestCallback}. */
public interface TrackStatusCallback
{
    /** REQUEST_OK with LARGEST_OBJECT ({@code largest}, null when no object exists) and the track properties. */
    void ok(Location largest, boolean endOfTrack, List<KeyValuePair> trackProperties);

    void error(RequestErrorCode code, String reason);
}
