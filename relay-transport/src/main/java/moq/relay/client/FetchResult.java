package moq.relay.client;

import moq.relay.wire.Location;

/**
 * FETCH_OK: the fetch was accepted; its objects arrive on the {@link FetchListener}.
 *
 * @param endLocation the End Location as the draft encodes it (draft-18: exclusive, Object + 1).
 */
public record FetchResult(long requestId, boolean endOfTrack, Location endLocation)
{
}
