package moq.relay.warmup;

/**
 * A publisher and a subscriber of one protocol on the throwaway relay, connected and subscribed: {@link #sendRound()}
 * publishes one {@link WarmupTraffic} round, which the subscriber counts as it arrives. Called from one thread (the
 * warm-up's); the counts are read there while the clients' event loops write them.
 */
interface WarmupPair extends AutoCloseable
{
    /** The ALPN the pair speaks, e.g. {@code moqt-18} or {@code moq-lite-04}. */
    String protocol();

    /** Publishes the next round (non-blocking: the clients' event loops send it). */
    void sendRound();

    long roundsSent();

    /** Stream objects the subscriber has received ({@link WarmupTraffic#STREAM_OBJECTS} per round). */
    long streamObjectsReceived();

    long datagramsReceived();

    long bytesReceived();

    /** Objects above an ordinary key frame the subscriber has received ({@link LargeFrames}; 0 if it sends none). */
    default long largeObjectsReceived()
    {
        return 0;
    }

    /** Rounds of its {@link LargeFrames} opening (0: none): the warm-up runs until they are sent and received. */
    default int openingRounds()
    {
        return 0;
    }

    /** The track of its object above the store's maximum ({@link LargeFrames}), or null if it sends none. */
    default moq.relay.engine.FullTrackName oversizedTrack()
    {
        return null;
    }

    /** Whether round {@code round} carries a large video object ({@link LargeFrames}). */
    default boolean sendsLarge(final long round)
    {
        return false;
    }

    /**
     * Rounds it may have in flight before sending the next: one around a round with a large object (that round waits
     * for every earlier one to arrive, and the next round for it), so that no newer video group reaches the relay
     * before the large one is whole (a moq-lite subscription is served its newest group and drops an older one that
     * opens later) and one large round per pair is buffered at a time; else {@link WarmupTraffic#ROUNDS_IN_FLIGHT}.
     */
    default int window()
    {
        final long next = roundsSent();
        return sendsLarge(next) || next > 0 && sendsLarge(next - 1) ? 1 : WarmupTraffic.ROUNDS_IN_FLIGHT;
    }

    /** Whether its opening's rounds have been sent and fully received. */
    default boolean openingDone()
    {
        return streamObjectsReceived() >= (long)openingRounds() * WarmupTraffic.STREAM_OBJECTS;
    }

    /** Rounds sent and not yet fully received. */
    default long roundsInFlight()
    {
        return roundsSent() - streamObjectsReceived() / WarmupTraffic.STREAM_OBJECTS;
    }

    /** Closes both clients (no exception: a warm-up never fails the relay). */
    @Override
    void close();

    /** Closes one of a pair's clients, if any, ignoring what it throws: the throwaway relay closes next anyway. */
    static void closeQuietly(final AutoCloseable client)
    {
        if (client == null)
        {
            return;
        }
        try
        {
            client.close();
        }
        catch (final Exception e)
        {
            // Going away anyway.
        }
    }
}
