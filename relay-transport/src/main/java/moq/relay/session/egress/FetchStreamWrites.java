package moq.relay.session.egress;

import moq.relay.fanout.EgressLoop;

/**
 * A fetch stream's writes (MoQT FETCH and moq-lite FETCH alike): while too much waits behind a sliced object the
 * writer takes no more ({@link #holdsBack()}), and once less waits its egress loop is signalled so the engine writes
 * again. Event-loop confined; buffer ownership as {@link SlicedStreamWrites} has it.
 */
final class FetchStreamWrites extends SlicedStreamWrites
{
    private final EgressLoop loop;
    private boolean heldBack;

    FetchStreamWrites(final EgressLoop loop)
    {
        this.loop = loop;
    }

    @Override
    void behindChanged()
    {
        final boolean now = holdsBack();
        if (heldBack && !now)
        {
            loop.signal();
        }
        heldBack = now;
    }
}
