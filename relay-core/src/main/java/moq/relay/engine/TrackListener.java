package moq.relay.engine;

import java.util.List;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * Tracks for a SUBSCRIBE_TRACKS: the session sends PUBLISH for each {@link #track} and, when the subscriber accepts
 * with PUBLISH_OK, subscribes to it with {@link Session#subscribe}; {@link #trackDone} when its last publisher left.
 */
public interface TrackListener
{
    void track(FullTrackName track, Location largest, List<KeyValuePair> trackProperties);

    void trackDone(FullTrackName track);
}
