package moq.relay.engine;

/**
 * One session's new-request rate (DoS draft §4.2, rapid request cycles): a token bucket of {@code burst} tokens
 * refilled at {@code perSecond}, kept as nanoseconds of credit so that it needs no floating point and allocates
 * nothing. A request costs {@code 1e9 / perSecond} ns of credit; the credit grows with elapsed time up to
 * {@code burst} requests' worth.
 *
 * <p>Refusals are counted until the bucket is full again (the peer paused long enough to earn a whole burst back);
 * once they reach a burst's worth the peer is {@link #abusive()}: it kept requesting well above the rate after being
 * refused, which a well-behaved client backing off on EXCESSIVE_LOAD does not.
 *
 * <p>Not thread-safe: the engine calls it under its control lock.
 */
final class RequestRate
{
    private final long costNanos;
    private final long capacityNanos;
    private final int burst;
    private long creditNanos;
    private long lastNanos;
    private int refused;

    RequestRate(final int perSecond, final int burst, final long nowNanos)
    {
        if (perSecond < 1 || burst < 1)
        {
            throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst);
        }
        this.costNanos = 1_000_000_000L / perSecond;
        this.capacityNanos = costNanos * burst;
        this.burst = burst;
        this.creditNanos = capacityNanos;
        this.lastNanos = nowNanos;
    }

    /** Takes a token for one new request at {@code nowNanos}; false (and counted) when there is none. */
    boolean tryAcquire(final long nowNanos)
    {
        final long elapsed = nowNanos - lastNanos;
        lastNanos = nowNanos;
        if (elapsed > 0)
        {
            // Saturating: an idle session's elapsed time may exceed what the capacity needs by any amount.
            creditNanos = elapsed >= capacityNanos - creditNanos ? capacityNanos : creditNanos + elapsed;
        }
        if (creditNanos == capacityNanos)
        {
            refused = 0;
        }
        if (creditNanos >= costNanos)
        {
            creditNanos -= costNanos;
            return true;
        }
        if (refused < burst)
        {
            refused++;
        }
        return false;
    }

    /** True once a burst's worth of requests was refused since the bucket was last full. */
    boolean abusive()
    {
        return refused >= burst;
    }
}
