package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * The Standalone Fetch structure of FETCH type 0x1 (§"Standalone Fetch"): {@code Track Namespace (tuple),
 * Track Name (b), Start Location, End Location}. {@code end} is the end plus one object: End.Object 0 asks
 * for the whole of group End.Group. A range that ends before it starts is answered with FETCH_ERROR
 * INVALID_RANGE, not a session error, so it is carried through.
 */
public record StandaloneFetch(TrackNamespace trackNamespace, Bytes trackName, Location start, Location end)
{
    public StandaloneFetch
    {
        Fields.namespace(trackNamespace, "trackNamespace");
        Fields.trackName(trackNamespace, trackName);
        Fields.location(start, "start");
        Fields.location(end, "end");
    }
}
