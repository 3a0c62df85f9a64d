package moq.relay.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.Draft;

/**
 * What one run offers: {@code publishers} publishers, each sending every track in {@code tracks}, and its subscriber
 * sessions. Without {@code mesh}, every track gets {@code subscribersPerTrack} sessions of its own, each subscribed
 * to that track only; with {@code mesh} (video calls), there is one session per publisher, subscribed to every track
 * of every other publisher of its call: the publishers form calls of {@code callSize} participants (0: one call of
 * them all).
 *
 * @param warmup   sending before the measured window (JIT of the target and of the generator, congestion windows);
 *                 its objects count for delivery but not for latency, throughput or CPU.
 * @param duration the measured window.
 * @param drain    after sending stops, how long delivery may stay quiet before the run ends (bounded by 10 drains).
 * @param maxQueuedBytes unpaced (rate 0) publishers through the relay pause while this many bytes wait for QUIC
 *                 flow control in their client, or are in flight (sent but not yet received by the track's slowest
 *                 subscriber); the ceiling paces itself by its streams' writability instead.
 */
public record Workload(
    Draft draft,
    int publishers,
    List<TrackSpec> tracks,
    int subscribersPerTrack,
    boolean mesh,
    Duration warmup,
    Duration duration,
    Duration drain,
    long maxQueuedBytes,
    int callSize)
{
    /** Without calls: a mesh is one call of every publisher. */
    public Workload(final Draft draft, final int publishers, final List<TrackSpec> tracks,
        final int subscribersPerTrack, final boolean mesh, final Duration warmup, final Duration duration,
        final Duration drain, final long maxQueuedBytes)
    {
        this(draft, publishers, tracks, subscribersPerTrack, mesh, warmup, duration, drain, maxQueuedBytes, 0);
    }

    public Workload
    {
        tracks = List.copyOf(tracks);
        if (publishers < 1 || tracks.isEmpty() || subscribersPerTrack < 0 || mesh && publishers < 2)
        {
            throw new IllegalArgumentException("need publishers >= 1 (mesh: >= 2), a track and subscribers >= 0");
        }
        if (callSize != 0 && (!mesh || callSize < 2 || publishers % callSize != 0))
        {
            throw new IllegalArgumentException("calls need a mesh, at least 2 participants each, and publishers a "
                + "multiple of the call size");
        }
    }

    /** Participants per call: {@code callSize}, or every publisher. */
    public int participantsPerCall()
    {
        return callSize == 0 ? publishers : callSize;
    }

    public List<TrackKey> allTracks()
    {
        final List<TrackKey> all = new ArrayList<>();
        for (int p = 0; p < publishers; p++)
        {
            for (final TrackSpec spec : tracks)
            {
                all.add(new TrackKey(p, spec));
            }
        }
        return all;
    }

    /** The subscriber sessions, each as the tracks it subscribes to. */
    public List<List<TrackKey>> subscriberSessions()
    {
        final List<List<TrackKey>> sessions = new ArrayList<>();
        if (mesh)
        {
            final int perCall = participantsPerCall();
            for (int self = 0; self < publishers; self++)
            {
                final List<TrackKey> others = new ArrayList<>();
                for (final TrackKey t : allTracks())
                {
                    if (t.publisher() != self && t.publisher() / perCall == self / perCall)
                    {
                        others.add(t);
                    }
                }
                sessions.add(others);
            }
            return sessions;
        }
        for (final TrackKey t : allTracks())
        {
            for (int s = 0; s < subscribersPerTrack; s++)
            {
                sessions.add(List.of(t));
            }
        }
        return sessions;
    }

    /** Subscribers each track has: the fan-out. */
    public int fanout()
    {
        return mesh ? participantsPerCall() - 1 : subscribersPerTrack;
    }

    public Workload withSubscribers(final int perTrack)
    {
        return new Workload(draft, publishers, tracks, perTrack, false, warmup, duration, drain, maxQueuedBytes, 0);
    }

    public Workload withTracks(final List<TrackSpec> specs)
    {
        return new Workload(draft, publishers, specs, subscribersPerTrack, mesh, warmup, duration, drain,
            maxQueuedBytes, callSize);
    }

    public Workload withWarmup(final Duration sending)
    {
        return new Workload(draft, publishers, tracks, subscribersPerTrack, mesh, sending, duration, drain,
            maxQueuedBytes, callSize);
    }

    public Workload withDuration(final Duration measured)
    {
        return new Workload(draft, publishers, tracks, subscribersPerTrack, mesh, warmup, measured, drain,
            maxQueuedBytes, callSize);
    }
}
