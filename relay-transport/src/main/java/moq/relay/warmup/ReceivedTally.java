package moq.relay.warmup;

import java.util.concurrent.atomic.AtomicLong;

/** What a warm-up subscriber received, written by its client's event loop, read by the warm-up's thread. */
final class ReceivedTally
{
    private final AtomicLong streamObjects = new AtomicLong();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong largeObjects = new AtomicLong();

    void streamObject(final int length)
    {
        bytes.addAndGet(length);
        if (length > WarmupTraffic.KEY_FRAME_BYTES)
        {
            largeObjects.incrementAndGet(); // one of LargeFrames' key frames
        }
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

    /** Stream objects above an ordinary key frame ({@link LargeFrames}). */
    long largeObjects()
    {
        return largeObjects.get();
    }
}
