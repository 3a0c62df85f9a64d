package moq.relay.bench.load;

import java.util.Locale;

/**
 * One kind of track a publisher sends: objects of {@code objectSize} payload bytes at {@code rate} objects per second
 * (0 = as fast as flow control allows), {@code groupLength} objects per group (one subgroup stream per group), the
 * first object of each group {@code firstObjectSize} bytes (a video keyframe: larger than the frames after it).
 * Written and parsed as {@code name:size:rate:groupLength[:firstSize]}, e.g. {@code video:5435:30:60:54350}.
 */
public record TrackSpec(String name, int objectSize, double rate, int groupLength, int firstObjectSize)
{
    /** Every object the same size. */
    public TrackSpec(final String name, final int objectSize, final double rate, final int groupLength)
    {
        this(name, objectSize, rate, groupLength, objectSize);
    }

    public TrackSpec
    {
        if (name.isEmpty() || name.contains(":") || name.contains(","))
        {
            throw new IllegalArgumentException("track name must be non-empty without ':' or ',': " + name);
        }
        if (objectSize < PayloadStamp.LENGTH || firstObjectSize < PayloadStamp.LENGTH)
        {
            throw new IllegalArgumentException("object size must be at least " + PayloadStamp.LENGTH + " (the stamp)");
        }
        if (rate < 0 || groupLength < 1)
        {
            throw new IllegalArgumentException("rate must be >= 0 and group length >= 1");
        }
    }

    public static TrackSpec parse(final String text)
    {
        final String[] parts = text.split(":");
        if (parts.length != 4 && parts.length != 5)
        {
            throw new IllegalArgumentException("track spec must be name:size:rate:groupLength[:firstSize], got " +
                text);
        }
        final int size = Integer.parseInt(parts[1]);
        return new TrackSpec(parts[0], size, Double.parseDouble(parts[2]), Integer.parseInt(parts[3]),
            parts.length == 5 ? Integer.parseInt(parts[4]) : size);
    }

    /** Payload bits per second this track offers (0 when unpaced). */
    public double bitsPerSecond()
    {
        return rate * (objectSize + (firstObjectSize - objectSize) / (double)groupLength) * 8.0;
    }

    /** Payload bytes of object {@code objectId} of a group. */
    public int sizeOf(final long objectId)
    {
        return objectId == 0 ? firstObjectSize : objectSize;
    }

    @Override
    public String toString()
    {
        return String.format(Locale.ROOT, "%s:%d:%s:%d", name, objectSize,
            rate == Math.rint(rate) ? Long.toString((long)rate) : Double.toString(rate), groupLength) +
            (firstObjectSize == objectSize ? "" : ":" + firstObjectSize);
    }
}
