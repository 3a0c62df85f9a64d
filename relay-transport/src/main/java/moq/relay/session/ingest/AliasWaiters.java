package moq.relay.session.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publisher data streams whose Track Alias the session does not know yet, each waiting for the control message that
 * establishes it (draft-18 and draft-14 §"Subgroup Header": a receiver may buffer such a stream briefly to handle
 * reordering with that message). The session calls {@link #known} whenever it maps an alias; the waiters run then, in
 * arrival order. Bounded: beyond {@code max} waiting streams {@link #await} refuses. Event-loop confined, like the
 * session; allocates only for early streams, never on the steady path.
 */
public final class AliasWaiters
{
    private final int max;
    private final Map<Long, List<Runnable>> waiting = new HashMap<>();
    private int count;

    public AliasWaiters(final int max)
    {
        this.max = max;
    }

    /** @return false if {@code max} streams already wait: the caller discards its stream. */
    public boolean await(final long trackAlias, final Runnable onKnown)
    {
        if (count >= max)
        {
            return false;
        }
        waiting.computeIfAbsent(trackAlias, a -> new ArrayList<>(2)).add(onKnown);
        count++;
        return true;
    }

    /** A waiter gave up (its timeout fired or its stream closed); a no-op if it already ran. */
    public void cancel(final long trackAlias, final Runnable onKnown)
    {
        final List<Runnable> list = waiting.get(trackAlias);
        if (list != null && list.remove(onKnown))
        {
            count--;
            if (list.isEmpty())
            {
                waiting.remove(trackAlias);
            }
        }
    }

    /** The session now routes {@code trackAlias}: every stream waiting for it resumes. */
    public void known(final long trackAlias)
    {
        final List<Runnable> list = waiting.remove(trackAlias);
        if (list != null)
        {
            count -= list.size();
            for (final Runnable onKnown : list)
            {
                onKnown.run();
            }
        }
    }

    public int size()
    {
        return count;
    }
}
