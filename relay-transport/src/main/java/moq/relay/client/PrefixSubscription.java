package moq.relay.client;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.concurrent.CompletableFuture;
import moq.relay.wire.TrackNamespace;

/**
 * A SUBSCRIBE_NAMESPACE ({@link MoqClient#subscribeNamespace}) or SUBSCRIBE_TRACKS ({@link MoqClient#subscribeTracks})
 * of this client, drafts 18 and 20: the relay answers REQUEST_OK, then NAMESPACE / NAMESPACE_DONE on the request's
 * stream (draft 14, SUBSCRIBE_NAMESPACE only: PUBLISH_NAMESPACE / PUBLISH_NAMESPACE_DONE on the control stream),
 * or PUBLISH of each matching track on a stream of its own ({@link TrackOffer}). Thread-safe; listeners are
 * called on the client's event loop.
 */
public final class PrefixSubscription
{
    /** NAMESPACE and NAMESPACE_DONE, with suffixes relative to the prefix. */
    public interface NamespaceListener
    {
        void onNamespace(TrackNamespace suffix);

        void onNamespaceDone(TrackNamespace suffix);
    }

    /** The relay's PUBLISH of a track under the prefix. */
    public interface TrackListener
    {
        /**
         * Accepts {@code offer} (PUBLISH_OK with its {@link TrackOffer#forward} state, objects to the returned
         * listener) or declines it (null: REQUEST_ERROR).
         */
        SubscriptionListener onTrack(TrackOffer offer);
    }

    final ClientSession session;
    final TrackNamespace prefix;
    /** Exactly one of the two is set. */
    final NamespaceListener namespaces;
    final TrackListener tracks;
    final CompletableFuture<PrefixSubscription> result = new CompletableFuture<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Cancelled by this client (event loop). */
    boolean cancelled;
    long requestId;
    QuicStreamChannel stream;

    PrefixSubscription(final ClientSession session, final TrackNamespace prefix, final NamespaceListener namespaces,
        final TrackListener tracks)
    {
        this.session = session;
        this.prefix = prefix;
        this.namespaces = namespaces;
        this.tracks = tracks;
    }

    public TrackNamespace prefix()
    {
        return prefix;
    }

    /** Whether this is a SUBSCRIBE_TRACKS (else a SUBSCRIBE_NAMESPACE). */
    public boolean tracks()
    {
        return tracks != null;
    }

    /**
     * Completes when it ends: cancelled, its stream ended by the relay, or the session closed. The tracks it offered
     * stay subscribed until they end or are unsubscribed themselves.
     */
    public CompletableFuture<Void> ended()
    {
        return ended;
    }

    /**
     * Completes once the relay is known to have let go of it, so that a new request overlapping its prefix is not
     * refused PREFIX_OVERLAP (streams are unordered: a new request can overtake the cancel): after {@link #cancel},
     * when the relay closed its side of the request stream, which it does once it has processed the cancel (drafts
     * 18 and 20: the cancel resets this client's side and keeps reading the relay's until it ends); at once in draft
     * 14 (UNSUBSCRIBE_NAMESPACE precedes any later request on the ordered control stream) or when the request was
     * never sent; also when the relay ended it, or the session closed. A relay that does not close its side within
     * {@link #CLOSE_WAIT_MILLIS} is sent STOP_SENDING and given up on.
     */
    public CompletableFuture<Void> closed()
    {
        return closed;
    }

    /** How long a cancelled request waits for the relay to close its side before this client stops reading it. */
    public static final long CLOSE_WAIT_MILLIS = 1000;

    /** Ends it: its request stream is reset (draft 14: UNSUBSCRIBE_NAMESPACE); {@link #closed} tells when it is gone. */
    public void cancel()
    {
        session.execute(() -> session.cancelPrefix(this));
    }
}
