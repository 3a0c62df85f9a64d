package moq.relay.client;

import java.util.concurrent.CompletableFuture;
import moq.relay.wire.TrackNamespace;

/** A namespace the peer accepted (REQUEST_OK / PUBLISH_NAMESPACE_OK). Thread-safe. */
public final class PublishedNamespace
{
    private final ClientSession session;
    private final long requestId;
    private final TrackNamespace namespace;
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    PublishedNamespace(final ClientSession session, final long requestId, final TrackNamespace namespace)
    {
        this.session = session;
        this.requestId = requestId;
        this.namespace = namespace;
    }

    public long requestId()
    {
        return requestId;
    }

    public TrackNamespace namespace()
    {
        return namespace;
    }

    /** Completes when withdrawn, cancelled by the peer, or the session closed. */
    public CompletableFuture<Void> ended()
    {
        return ended;
    }

    /** Draft-18: cancels the request stream; draft-14: PUBLISH_NAMESPACE_DONE. */
    public void withdraw()
    {
        session.execute(() -> session.withdrawNamespace(requestId));
    }
}
