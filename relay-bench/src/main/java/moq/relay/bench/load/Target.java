package moq.relay.bench.load;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * What a run's subscribers connect to: the relay (objects come from the load generator's publishers) or the
 * ceiling sender (it generates the objects itself). {@link #pid()} names the process whose CPU and memory are
 * measured.
 */
public interface Target extends AutoCloseable
{
    /** {@code relay} or {@code ceiling}. */
    String kind();

    /** Where subscribers connect. */
    InetSocketAddress address();

    /** Where publishers connect: {@link #address()}, except for a chain of relays (the origin relay). */
    default InetSocketAddress publisherAddress()
    {
        return address();
    }

    long pid();

    /** Every process of the target, whose CPU the run counts ({@link #pid()} alone except for a chain of relays). */
    default long[] pids()
    {
        return new long[] {pid()};
    }

    /** Whether the target generates the objects (the ceiling) rather than relaying the publishers'. */
    boolean generatesObjects();

    /**
     * The relay's skip counters now (summed over its egress loops), or null when the target keeps none (the ceiling)
     * or does not expose them: what a run's skipped objects are checked against ({@link SkipAttribution}).
     */
    default RelaySkipCounters skipCounters()
    {
        return null;
    }

    /** Starts generating (ceiling only). */
    default void startObjects()
    {
    }

    /** Stops generating (ceiling only); objects generated per track, by {@link TrackKey#label()}. */
    default Map<String, Long> stopObjects()
    {
        return Map.of();
    }

    @Override
    void close();
}
