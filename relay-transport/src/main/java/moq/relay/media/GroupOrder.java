package moq.relay.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts a video track's frames back into group order for a decoder. Groups arrive on streams of their own, so the
 * first frames of the next group (its keyframe) can overtake the last frames of the current one; a decoder fed in
 * arrival order would then decode those late frames against the wrong keyframe. Frames of the current group pass
 * straight through; frames of later groups wait until the current group ends (its End of Group), and frames of a
 * group already left behind are dropped. At most {@code maxHeldFrames} wait: beyond that the current group is given
 * up (its missing tail counted as skipped) so that a group whose end never comes cannot hold the recording forever.
 */
final class GroupOrder
{
    /** Where released frames go, in group order. */
    interface Sink
    {
        void frame(long groupId, long objectId, Object frame);
    }

    private final int maxHeldFrames;
    private final Sink sink;
    private final TreeMap<Long, List<Object[]>> held = new TreeMap<>();
    private final java.util.Set<Long> endedWhileHeld = new java.util.HashSet<>();
    private long current = -1;
    private boolean currentEnded = true;
    private int heldFrames;
    private long dropped;

    GroupOrder(final int maxHeldFrames, final Sink sink)
    {
        this.maxHeldFrames = maxHeldFrames;
        this.sink = sink;
    }

    /** A frame of group {@code groupId}; the first group must be entered at its object 0 (the caller sees to that). */
    void frame(final long groupId, final long objectId, final Object frame)
    {
        if (groupId < current || groupId == current && currentEnded)
        {
            dropped++;
            return;
        }
        if (groupId == current || currentEnded && held.isEmpty())
        {
            current = groupId;
            currentEnded = false;
            sink.frame(groupId, objectId, frame);
            return;
        }
        held.computeIfAbsent(groupId, g -> new ArrayList<>()).add(new Object[] {objectId, frame});
        if (++heldFrames > maxHeldFrames)
        {
            advance();
        }
    }

    /** End of Group for {@code groupId}. */
    void endOfGroup(final long groupId)
    {
        if (groupId == current)
        {
            advance();
        }
        else if (groupId > current)
        {
            endedWhileHeld.add(groupId);
        }
    }

    /** Releases every held group in order (the track ended). */
    void flush()
    {
        while (!held.isEmpty())
        {
            advance();
        }
    }

    /** Frames dropped because their group had already been left behind. */
    long dropped()
    {
        return dropped;
    }

    /** The current group is over: release the next held group (and the one after it, if that one ended too). */
    private void advance()
    {
        currentEnded = true;
        while (!held.isEmpty())
        {
            final Map.Entry<Long, List<Object[]>> next = held.pollFirstEntry();
            current = next.getKey();
            currentEnded = endedWhileHeld.remove(current);
            for (final Object[] f : next.getValue())
            {
                heldFrames--;
                sink.frame(current, (Long)f[0], f[1]);
            }
            if (!currentEnded)
            {
                return;
            }
        }
    }
}
