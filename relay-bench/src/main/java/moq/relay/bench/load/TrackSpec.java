package moq.relay.bench.load;

import java.util.Locale;

/**
 * One kind of track a publisher sends: objects of {@code objectSize} payload bytes at {@code rate} objects per second
 * (0 = as fast as flow control allows), {@code groupLength} objects per group (one subgroup stream per group).
 * Written and parsed as {@code name:size:rate:groupLength}, e.g. {@code video:10417:30:60}.
 */
public record TrackSpec(String name, int objectSize, double rate, int groupLength)
{
    public TrackSpec
    {
        if (name.isEmpty() || name.contains(":") || name.contains(","))
        {
            throw new IllegalArgumentException("track name must be non-empty without ':' or ',': " + name);
        }
        if (objectSize < PayloadStamp.LENGTH)
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
        if (parts.length != 4)
        {
            throw new IllegalArgumentException("track spec must be name:size:rate:groupLength, got " + text);
        }
        return new TrackSpec(parts[0], Integer.parseInt(parts[1]), Double.parseDouble(parts[2]),
            Integer.parseInt(parts[3]));
    }

    /** Payload bits per second this track offers (0 when unpaced). */
    public double bitsPerSecond()
    {
        return rate * objectSize * 8.0;
    }

    @Override
    public String toString()
    {
        return String.format(Locale.ROOT, "%s:%d:%s:%d", name, objectSize,
            rate == Math.rint(rate) ? Long.toString((long)rate) : Double.toString(rate), groupLength);
    }
}
