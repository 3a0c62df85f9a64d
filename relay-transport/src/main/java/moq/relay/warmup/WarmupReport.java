package moq.relay.warmup;

import java.util.List;

/**
 * What a start-up warm-up did.
 *
 * @param ran        whether it ran at all ({@code false}: {@code moq.relay.warmup.duration=0s}).
 * @param millis     from its start until the throwaway relay was closed.
 * @param setupMillis from its start until its pairs were connected and subscribed (the traffic's duration follows).
 * @param protocols  one entry per protocol pair that got connected and subscribed.
 * @param failures   protocols whose pair could not be set up, or a failure of the whole warm-up; empty normally.
 * @param cancelled  the relay stopped during the warm-up.
 */
public record WarmupReport(boolean ran, long millis, long setupMillis, List<Protocol> protocols, List<String> failures,
    boolean cancelled)
{
    /** No warm-up. */
    public static final WarmupReport OFF = new WarmupReport(false, 0, 0, List.of(), List.of(), false);

    public WarmupReport
    {
        protocols = List.copyOf(protocols);
        failures = List.copyOf(failures);
    }

    /**
     * One protocol pair's traffic, as its subscriber received it.
     *
     * @param protocol  the ALPN, e.g. {@code moqt-18}.
     * @param rounds    warm-up rounds its publisher sent.
     * @param objects   objects received on streams.
     * @param datagrams objects received as datagrams.
     * @param bytes     payload bytes received.
     * @param largeObjects objects above an ordinary key frame received (its opening's large key frames and later
     *                  ones; issue 12).
     * @param oversized objects of its publisher the relay refused as above {@code moq.relay.store.max.object.bytes}
     *                  (the opening's one, on purpose).
     */
    public record Protocol(String protocol, long rounds, long objects, long datagrams, long bytes, long largeObjects,
        long oversized)
    {
    }

    public long objects()
    {
        return protocols.stream().mapToLong(Protocol::objects).sum();
    }

    public long datagrams()
    {
        return protocols.stream().mapToLong(Protocol::datagrams).sum();
    }

    public long bytes()
    {
        return protocols.stream().mapToLong(Protocol::bytes).sum();
    }

    @Override
    public String toString()
    {
        if (!ran)
        {
            return "warm-up off";
        }
        return "warm-up " + (cancelled ? "cancelled after " : "took ") + millis + " ms (set-up " + setupMillis +
            " ms): " + objects() + " objects (" + (bytes() >> 10) + " KiB) and " + datagrams() + " datagrams received through a loopback " +
            "relay by " + protocols.size() + " protocol pair(s) " +
            protocols.stream().map(p -> p.protocol() + " " + p.objects() + "/" + p.rounds() +
                (p.largeObjects() + p.oversized() == 0 ? "" :
                    " (" + p.largeObjects() + " large, " + p.oversized() + " oversized)")).toList() +
            (failures.isEmpty() ? "" : "; failed: " + failures);
    }
}
