package moq.relay.wire;

/** {Group, Object}: a position in a track, ordered by group then object (unsigned). */
public record Location(long group, long object) implements Comparable<Location>
{
    public static final Location ZERO = new Location(0, 0);

    @Override
    public int compareTo(final Location o)
    {
        final int g = Long.compareUnsigned(group, o.group);
        return g != 0 ? g : Long.compareUnsigned(object, o.object);
    }

    @Override
    public String toString()
    {
        return "{" + Long.toUnsignedString(group) + "," + Long.toUnsignedString(object) + "}";
    }
}
