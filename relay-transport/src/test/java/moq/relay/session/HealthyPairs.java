package moq.relay.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.TrackNamespace;
import org.HdrHistogram.Histogram;

/**
 * Several {@link HealthyPair}s, each its own publisher, subscriber and track, measured as one: their latencies are
 * merged per window and an object any of them lost is reported as {@code pair/sequence}. The first pair uses
 * {@link HealthyPair#NS} (the track attacks on "the healthy track" aim at), the others {@code healthy/room<i>}.
 * Independent pairs at a modest rate each give a window enough samples for a steady p99 without one publisher
 * bunching objects into shared packets.
 */
final class HealthyPairs implements AutoCloseable
{
    private final List<HealthyPair> pairs = new ArrayList<>();

    HealthyPairs(final InetSocketAddress relay, final int count, final int objectsPerSecondEach) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            pairs.add(start(relay, objectsPerSecondEach, i == 0 ? HealthyPair.NS :
                TrackNamespace.of("healthy", "room" + i)));
        }
    }

    /**
     * One pair, tried three times: the suite's relay closes a session that has not sent SETUP within 1 s, which a
     * healthy client starting on a host loaded by other builds can miss.
     */
    private static HealthyPair start(final InetSocketAddress relay, final int rate, final TrackNamespace namespace)
        throws Exception
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return new HealthyPair(relay, rate, namespace);
            }
            catch (final java.util.concurrent.ExecutionException e)
            {
                if (attempt == 3)
                {
                    throw e;
                }
            }
        }
    }

    /** The first exception a publisher or subscriber threw, if any. */
    Throwable failure()
    {
        for (final HealthyPair p : pairs)
        {
            if (p.failure != null)
            {
                return p.failure;
            }
        }
        return null;
    }

    void startWindow()
    {
        pairs.forEach(HealthyPair::startWindow);
    }

    /** The latencies (microseconds) every pair recorded since {@link #startWindow()}, merged. */
    Histogram endWindow()
    {
        final Histogram all = new Histogram(3);
        for (final HealthyPair p : pairs)
        {
            all.add(p.endWindow());
        }
        return all;
    }

    /** Drains the samples above {@link HealthyPair#SLOW_MICROS}: pair index, arrival (wall ms), latency (us), seq. */
    List<long[]> drainSlow()
    {
        final List<long[]> all = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++)
        {
            long[] s;
            while ((s = pairs.get(i).slow.poll()) != null)
            {
                all.add(new long[] {i, s[0], s[1], s[2]});
            }
        }
        all.sort((a, b) -> Long.compare(a[1], b[1]));
        return all;
    }

    /** Waits (each pair up to {@code timeoutMillis}) for every object published so far; returns the missing ones. */
    List<String> missingAfter(final long timeoutMillis) throws InterruptedException
    {
        final List<String> missing = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++)
        {
            for (final long seq : pairs.get(i).missingAfter(timeoutMillis))
            {
                missing.add(i + "/" + seq);
            }
        }
        return missing;
    }

    @Override
    public void close()
    {
        pairs.forEach(HealthyPair::close);
    }
}
