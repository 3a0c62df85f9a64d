package moq.relay.session;

/**
 * The draft-18 peer's Request IDs seen so far. Draft 18 sends each request on its own bidirectional stream, so
 * requests arrive in the order the network delivers their streams, not the order the peer made them: after a lost or
 * reordered packet, request 4 may come before request 2. The draft forbids only a duplicate (and the wrong parity,
 * checked by the caller), so an id below the highest seen is fine if it was not seen before.
 *
 * <p>One bit per even id over the {@link #WINDOW} ids below the highest (128 bytes per session, no allocation after
 * construction); an id further below than that cannot be told from a duplicate and is refused as one: a peer has
 * that many requests in flight at once only if it floods.
 */
final class PeerRequestIds
{
    /** Even ids tracked below the highest seen. */
    static final int WINDOW = 1024;

    private final long[] seen = new long[WINDOW / 64];
    /** The highest id seen, or -2 before the first. */
    private long highest = -2;

    /**
     * Records {@code id} (even); false if it was seen before or is too far below the highest to tell (INVALID_REQUEST_ID).
     */
    boolean accept(final long id)
    {
        final long slot = id >>> 1;
        final long top = highest >>> 1;
        if (highest < 0 || slot > top)
        {
            // The slots between the old highest and this one wrap onto ids that left the window: clear them.
            final long from = highest < 0 ? Math.max(0, slot - WINDOW + 1) : Math.max(top + 1, slot - WINDOW + 1);
            for (long s = from; s <= slot; s++)
            {
                clear(s);
            }
            set(slot);
            highest = id;
            return true;
        }
        if (top - slot >= WINDOW || isSet(slot))
        {
            return false;
        }
        set(slot);
        return true;
    }

    /** The id after the highest seen (GOAWAY's "smallest Request ID that might not have been processed"). */
    long next()
    {
        return highest + 2;
    }

    private boolean isSet(final long slot)
    {
        final int i = (int)(slot % WINDOW);
        return (seen[i >>> 6] & 1L << (i & 63)) != 0;
    }

    private void set(final long slot)
    {
        final int i = (int)(slot % WINDOW);
        seen[i >>> 6] |= 1L << (i & 63);
    }

    private void clear(final long slot)
    {
        final int i = (int)(slot % WINDOW);
        seen[i >>> 6] &= ~(1L << (i & 63));
    }
}
