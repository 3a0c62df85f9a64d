package moq.relay.wire.data;

/**
 * What the buffers of one incoming stream are charged to as they grow with the bytes a peer actually sent (a decoder's
 * scratch, a session's gathered payloads), so that nothing a peer sends makes the relay hold more than configured.
 * Called on the stream's event loop.
 */
public interface BufferBudget
{
    /** No bound: for clients and tests that bound their memory otherwise. */
    BufferBudget UNBOUNDED = new BufferBudget()
    {
        @Override
        public boolean reserve(final int bytes)
        {
            return true;
        }

        @Override
        public void release(final int bytes)
        {
        }
    };

    /**
     * Takes {@code bytes} more.
     *
     * @return false if that would exceed the bound; nothing is taken then and the caller gives up the stream.
     */
    boolean reserve(int bytes);

    /** Gives back {@code bytes} that {@link #reserve} took. */
    void release(int bytes);
}
