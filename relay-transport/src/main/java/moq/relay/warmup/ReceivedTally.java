package moq.relay.warmup;

import java.util.concurrent.atomic.AtomicLong;

/** What a warm-up subscriber received, written by its client's event loop, read by the warm-up's thread. */
final class ReceivedTally
{
    private final AtomicLong streamObjects = new AtomicLong();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    void streamObject(final int length)
    {
        bytes.addAndGet(length);
        streamObjects.incrementAndGet();
    }

    void datagram(final int length)
    {
        bytes.addAndGet(length);
        datagrams.incrementAndGet();
    }

    long streamObjects()
    {
        return streamObjects.get();
    }

    long datagrams()
    {
        return datagrams.get();
    }

    long bytes()
    {
        return bytes.get();
    }
}
