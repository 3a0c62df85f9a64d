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
