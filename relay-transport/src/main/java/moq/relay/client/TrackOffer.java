package moq.relay.client;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.List;
import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * A track the relay offered with PUBLISH for one of this client's SUBSCRIBE_TRACKS ({@link PrefixSubscription}).
 * Accepted by returning a listener from {@link PrefixSubscription.TrackListener#onTrack}; from then on
 * {@link #subscription()} is its subscription (objects, PUBLISH_DONE, {@link Subscription#unsubscribe()}).
 * Thread-safe.
 */
public final class TrackOffer
{
    final ClientSession session;
    private final TrackNamespace namespace;
    private final Bytes name;
    private final long trackAlias;
    private final Location largest;
    private final List<KeyValuePair> trackProperties;
    final QuicStreamChannel stream;
    /** The Forward state asked for: PUBLISH_OK's, then the last REQUEST_UPDATE's (event loop). */
    boolean forward = true;
    volatile ClientSession.SubscribeState state;
    final java.util.concurrent.CompletableFuture<Subscription> accepted = new java.util.concurrent.CompletableFuture<>();

    TrackOffer(final ClientSession session, final TrackNamespace namespace, final Bytes name, final long trackAlias,
        final Location largest, final List<KeyValuePair> trackProperties, final QuicStreamChannel stream)
    {
        this.session = session;
        this.namespace = namespace;
        this.name = name;
        this.trackAlias = trackAlias;
        this.largest = largest;
        this.trackProperties = List.copyOf(trackProperties);
        this.stream = stream;
    }

    public TrackNamespace namespace()
    {
        return namespace;
    }

    public Bytes name()
    {
        return name;
    }

    public long trackAlias()
    {
        return trackAlias;
    }

    /** The PUBLISH's Largest Location, or null. */
    public Location largest()
    {
        return largest;
    }

    /** The PUBLISH's Track Properties. */
    public List<KeyValuePair> trackProperties()
    {
        return trackProperties;
    }

    /**
     * The Forward state: called from {@link PrefixSubscription.TrackListener#onTrack}, it is PUBLISH_OK's (default
     * true); once accepted, a REQUEST_UPDATE asks the relay to start or stop sending objects.
     */
    public void forward(final boolean forward)
    {
        session.execute(() -> session.offerForward(this, forward));
    }

    /** Completes with the subscription once PUBLISH_OK went out (never for a declined offer). */
    public java.util.concurrent.CompletableFuture<Subscription> accepted()
    {
        return accepted;
    }

    /** The subscription once accepted, else null. */
    public Subscription subscription()
    {
        final ClientSession.SubscribeState s = state;
        return s == null ? null : s.handle;
    }
}
