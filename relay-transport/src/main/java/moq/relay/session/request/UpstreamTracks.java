package moq.relay.session.request;

import java.util.HashMap;
import java.util.Map;
import moq.relay.engine.TrackIngest;
import moq.relay.engine.UpstreamSubscription;

/**
 * A session's tracks from the peer ({@link UpstreamTrack}) by engine subscription, by track alias (routing its data
 * streams) and by request id (draft 14's answers name it). Event loop.
 */
public final class UpstreamTracks
{
    private final Map<UpstreamSubscription, UpstreamTrack> bySubscription = new HashMap<>();
    private final Map<Long, UpstreamTrack> byAlias = new HashMap<>();
    private final Map<Long, UpstreamTrack> byRequestId = new HashMap<>();

    void add(final UpstreamTrack track)
    {
        bySubscription.put(track.subscription(), track);
    }

    void requestId(final UpstreamTrack track, final long requestId)
    {
        byRequestId.put(requestId, track);
    }

    /** False if another track holds {@code alias}. */
    boolean alias(final UpstreamTrack track, final long alias)
    {
        return byAlias.putIfAbsent(alias, track) == null;
    }

    void replaceAlias(final UpstreamTrack track, final long alias)
    {
        byAlias.put(alias, track);
    }

    void remove(final UpstreamTrack track)
    {
        bySubscription.remove(track.subscription(), track);
        if (track.requestId() != -1)
        {
            byRequestId.remove(track.requestId(), track);
        }
        if (track.alias() != -1)
        {
            byAlias.remove(track.alias(), track);
        }
    }

    /** The track of an engine subscription, or null once it ended. */
    public UpstreamTrack of(final UpstreamSubscription subscription)
    {
        return bySubscription.get(subscription);
    }

    public UpstreamTrack byRequestId(final long requestId)
    {
        return byRequestId.get(requestId);
    }

    public UpstreamTrack byAlias(final long alias)
    {
        return byAlias.get(alias);
    }

    /** Where the objects of a data stream with {@code alias} go, or null while no track has it. */
    public TrackIngest ingestFor(final long alias)
    {
        final UpstreamTrack t = byAlias.get(alias);
        return t == null ? null : t.subscription().ingest();
    }

    public void streamStarted(final long alias)
    {
        final UpstreamTrack t = byAlias.get(alias);
        if (t != null)
        {
            t.streamStarted();
        }
    }

    public void streamEnded(final long alias)
    {
        final UpstreamTrack t = byAlias.get(alias);
        if (t != null)
        {
            t.streamEnded();
        }
    }
}
