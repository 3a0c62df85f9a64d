package moq.relay.cli;

import io.netty.buffer.ByteBuf;

/**
 * The stamp the {@code publish} test pattern puts at the start of each payload, so {@code subscribe --latency} can
 * print end-to-end latency: send time (wall clock, microseconds since the epoch) then a sequence number, both 8-byte
 * big-endian. Both tools must share a clock (same host, or synchronised hosts).
 */
final class PayloadStamp
{
    static final int LENGTH = 16;

    private PayloadStamp()
    {
    }

    static long nowMicros()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    static void write(final ByteBuf payload, final long sequence)
    {
        payload.setLong(payload.readerIndex(), nowMicros());
        payload.setLong(payload.readerIndex() + 8, sequence);
    }

    /** Send time in epoch microseconds, or -1 when the payload is too short to carry a stamp. */
    static long sentMicros(final ByteBuf payload)
    {
        return payload.readableBytes() < LENGTH ? -1 : payload.getLong(payload.readerIndex());
    }
}
