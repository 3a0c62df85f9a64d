package moq.relay.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.Bytes;

/** An accepted subscription (SUBSCRIBE_OK received). Thread-safe. */
public final class Subscription
{
    private final ClientSession session;
    private final long requestId;
    private final TrackNamespace namespace;
    private final Bytes trackName;
    private final long trackAlias;
    private final Location largest;
    private final List<KeyValuePair> trackProperties;
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    Subscription(final ClientSession session, final long requestId, final TrackNamespace namespace,
        final Bytes trackName, final long trackAlias, final Location largest,
        final List<KeyValuePair> trackProperties)
    {
        this.trackProperties = List.copyOf(trackProperties);
        this.session = session;
        this.requestId = requestId;
        this.namespace = namespace;
        this.trackName = trackName;
        this.trackAlias = trackAlias;
        this.largest = largest;
    }

    public long requestId()
    {
        return requestId;
    }

    public TrackNamespace namespace()
    {
        return namespace;
    }

    public Bytes trackName()
    {
        return trackName;
    }

    public long trackAlias()
    {
        return trackAlias;
    }

    /** Largest Location from SUBSCRIBE_OK, or null when the track has no objects yet. */
    public Location largest()
    {
        return largest;
    }

    /** Track Properties from SUBSCRIBE_OK (empty when it carried none). */
    public List<KeyValuePair> trackProperties()
    {
        return trackProperties;
    }

    /** Completes when the subscription ends: PUBLISH_DONE, unsubscribe, or session close. */
    public CompletableFuture<Void> ended()
    {
        return ended;
    }

    /** Draft-18: cancels the request stream (RESET_STREAM + STOP_SENDING); draft-14: UNSUBSCRIBE. */
    public void unsubscribe()
    {
        session.execute(() -> session.unsubscribe(requestId));
    }

    @Override
    public String toString()
    {
        return "subscription " + requestId + " to " + namespace + "/" + trackName + " alias " + trackAlias;
    }
}
