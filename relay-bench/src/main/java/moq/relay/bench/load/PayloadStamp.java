package moq.relay.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * The first 8 payload bytes of every generated object: {@link System#nanoTime()} when it was generated. On Linux
 * the JVM reads CLOCK_MONOTONIC, one clock for every process on the host, so a stamp written by the ceiling sender's
 * process is comparable with the subscriber's clock in the load generator's.
 */
public final class PayloadStamp
{
    public static final int LENGTH = 8;

    private PayloadStamp()
    {
    }

    public static void write(final ByteBuf payload, final long nanos)
    {
        payload.setLong(payload.readerIndex(), nanos);
    }

    public static long read(final ByteBuf payload)
    {
        return payload.getLong(payload.readerIndex());
    }
}
