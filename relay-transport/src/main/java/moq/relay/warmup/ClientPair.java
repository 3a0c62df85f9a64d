package moq.relay.warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the WebTransport pairs share: a publisher and a subscriber client, set up in one shape ({@link #setUp}: connect
 * the publisher, connect the subscriber, then publish and subscribe, every step by one deadline, both clients closed
 * again if a step fails), a round counter, and both clients closed together at the end.
 */
abstract class ClientPair implements WarmupPair
{
    /** A set-up step that connects one client. */
    @FunctionalInterface
    interface Connect<T extends AutoCloseable>
    {
        T connect() throws Exception;
    }

    /** The last set-up step: publishes, subscribes, and makes the pair of the two connected clients. */
    @FunctionalInterface
    interface Subscribe<P, S, R>
    {
        R subscribe(P publisher, S subscriber) throws Exception;
    }

    private final String protocol;
    private final AutoCloseable publisher;
    private final AutoCloseable subscriber;
    private long rounds;

    ClientPair(final String protocol, final AutoCloseable publisher, final AutoCloseable subscriber)
    {
        this.protocol = protocol;
        this.publisher = publisher;
        this.subscriber = subscriber;
    }

    /** Runs the three steps in order; a step that fails closes the clients connected so far and is rethrown. */
    static <P extends AutoCloseable, S extends AutoCloseable, R extends ClientPair> R setUp(final Connect<P> publisher,
        final Connect<S> subscriber, final Subscribe<P, S, R> subscribe) throws Exception
    {
        P pub = null;
        S sub = null;
        try
        {
            pub = publisher.connect();
            sub = subscriber.connect();
            return subscribe.subscribe(pub, sub);
        }
        catch (final Exception | Error e)
        {
            WarmupPair.closeQuietly(sub);
            WarmupPair.closeQuietly(pub);
            throw e;
        }
    }

    /** Waits for {@code step} until {@code deadline} ({@link System#nanoTime()}). */
    static <T> T by(final CompletableFuture<T> step, final long deadline) throws Exception
    {
        return step.get(MoqtWarmupPair.left(deadline), TimeUnit.NANOSECONDS);
    }

    /** Publishes round {@code round} of {@link WarmupTraffic}. */
    abstract void send(long round);

    @Override
    public final String protocol()
    {
        return protocol;
    }

    @Override
    public final void sendRound()
    {
        send(rounds++);
    }

    @Override
    public final long roundsSent()
    {
        return rounds;
    }

    @Override
    public final void close()
    {
        WarmupPair.closeQuietly(subscriber);
        WarmupPair.closeQuietly(publisher);
    }
}
