package moq.relay.session.egress;

import java.util.ArrayList;

import moq.relay.fanout.StreamResetCode;

/**
 * A writer's ended streams (FIN asked) whose bytes may still wait in their channel for QUIC, shared by
 * {@link SubgroupStreamWriter} and {@link LiteGroupWriter}. While one is full it holds its writer back, so a subscriber
 * whose connection takes nothing is held in the engine's log, where the time bound sheds it, instead of a new stream
 * per group queueing there out of the engine's sight (a one-frame audio group is ended at once). A stream leaves once
 * QUIC took its FIN, when the subscription falls too far behind ({@link #resetWaiting}), or at the subscription's end
 * ({@link #release}). Event-loop confined; no allocation beyond the list's growth.
 */
final class EndedStreams<S extends EndedStreams.Member>
{
    /** A writer's stream as this list needs it. */
    interface Member
    {
        /** Bytes wait in its channel for QUIC (counted against the writer's writability). */
        boolean unwritable();

        /** Holds nothing back from now on (what it holds still goes out). */
        void detach();

        /** Reset with {@code code}: what waited is discarded. */
        void reset(long code);
    }

    private final ArrayList<S> streams = new ArrayList<>(4);
    private long reset;

    void add(final S s)
    {
        streams.add(s);
    }

    void remove(final S s)
    {
        streams.remove(s);
    }

    /**
     * The subscription fell too far behind: the ended streams whose bytes still wait carry only what it is too far
     * behind for; they are reset with {@code code} and hold nothing back.
     */
    void resetWaiting(final StreamResetCode code)
    {
        for (int i = streams.size() - 1; i >= 0; i--)
        {
            final S s = streams.get(i);
            if (s.unwritable())
            {
                streams.remove(i);
                s.detach();
                s.reset(code.code());
                reset++;
            }
        }
    }

    /** The subscription ended: every ended stream stops holding anything back (what it holds still goes out). */
    void release()
    {
        for (int i = streams.size() - 1; i >= 0; i--)
        {
            streams.get(i).detach();
        }
        streams.clear();
    }

    /** Ended streams reset because their bytes still waited in the transport when the subscription fell behind. */
    long resetCount()
    {
        return reset;
    }
}
