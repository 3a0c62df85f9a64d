package moq.relay.config;

import java.util.Map;
import java.util.Properties;

/**
 * Every size and limit of the relay, read from system properties named {@code moq.relay.*}, in the style of Aeron's
 * {@code Configuration}: for each setting a {@code *_PROP_NAME} constant, a {@code *_DEFAULT} constant and a javadoc on
 * what it tunes and why the default is what it is.
 * <p>
 * An instance is an immutable snapshot: {@link #load()} reads the system properties once, {@link #from(Map)} reads a map
 * (tests). A bad value fails fast with an {@link IllegalArgumentException} naming the property and what to fix. The
 * transport adds its QUIC settings to this class.
 */
public final class RelayConfiguration
{
    /**
     * Slots in the Disruptor ring that carries object events from ingest to the egress loops. Must be a power of two.
     * Each slot is one small preallocated event; 65,536 slots absorb a burst of that many objects while an egress loop
     * is busy, before publishers wait for it.
     */
    public static final String RING_SIZE_PROP_NAME = "moq.relay.ring.size";
    public static final int RING_SIZE_DEFAULT = 65_536;

    /**
     * Bytes in one off-heap store segment, the unit in which track logs grow, shrink and are recycled. Must be a power
     * of two between 4 KiB and 1 GiB. It also bounds the largest object (header, properties and payload must fit in one
     * segment): 1 MiB holds a large video key frame while wasting at most one segment of padding per track.
     */
    public static final String SEGMENT_BYTES_PROP_NAME = "moq.relay.store.segment.bytes";
    public static final int SEGMENT_BYTES_DEFAULT = 1 << 20;

    /**
     * Bytes of recent objects each track keeps as its cache (a whole number of segments, rounded up). 16 MiB holds
     * several seconds of a 20 Mbit/s stream, enough for late joiners and joining FETCH of a few groups.
     */
    public static final String TRACK_CACHE_BYTES_PROP_NAME = "moq.relay.store.track.cache.bytes";
    public static final long TRACK_CACHE_BYTES_DEFAULT = 16L << 20;

    /**
     * The most recent groups each track serves from its cache. Older groups are evicted even if bytes remain, so a
     * late joiner never starts far behind live. 4 groups of a 2 s GOP is 8 s of history.
     */
    public static final String TRACK_CACHE_GROUPS_PROP_NAME = "moq.relay.store.track.cache.groups";
    public static final int TRACK_CACHE_GROUPS_DEFAULT = 4;

    /**
     * Extra segments a track may borrow beyond its cache while an egress loop still references its oldest segment.
     * The loop moves lagging subscribers on at its next poll, so a few segments suffice; when they are exhausted the
     * track drops new objects rather than overwrite memory that a writer reads.
     */
    public static final String TRACK_OVERFLOW_SEGMENTS_PROP_NAME = "moq.relay.store.track.overflow.segments";
    public static final int TRACK_OVERFLOW_SEGMENTS_DEFAULT = 4;

    /**
     * Total off-heap bytes of all track logs. Segments are pooled and reused; a track that cannot get a segment within
     * this bound rejects the object (EXCESSIVE_LOAD for its publisher only). 1 GiB is 64 tracks at the default cache.
     */
    public static final String STORE_MAX_BYTES_PROP_NAME = "moq.relay.store.max.bytes";
    public static final long STORE_MAX_BYTES_DEFAULT = 1L << 30;

    /** Most tracks the relay holds at once (each has a log and routing state). */
    public static final String MAX_TRACKS_PROP_NAME = "moq.relay.max.tracks";
    public static final int MAX_TRACKS_DEFAULT = 10_000;

    /**
     * Bytes a subscriber may lag behind the live edge of a track before its current subgroup is reset with
     * TOO_FAR_BEHIND and it resumes at the next group. The backlog is not copied: it is the region of the track log
     * between the subscriber's cursor and the live edge. Must be smaller than the track cache. 4 MiB is about 1.5 s at
     * 20 Mbit/s.
     */
    public static final String SUBSCRIBER_BACKLOG_BYTES_PROP_NAME = "moq.relay.subscriber.backlog.bytes";
    public static final long SUBSCRIBER_BACKLOG_BYTES_DEFAULT = 4L << 20;

    /**
     * Subgroup streams one downstream subscription may have open at once; past it the oldest is reset
     * (EXCESSIVE_LOAD). Media tracks use one or a few subgroups per group; 64 leaves room for layered codecs.
     */
    public static final String MAX_OPEN_SUBGROUPS_PROP_NAME = "moq.relay.subscriber.max.open.subgroups";
    public static final int MAX_OPEN_SUBGROUPS_DEFAULT = 64;

    /** Records one subscription or fetch may deliver per egress poll, so one backlog cannot monopolise a loop. */
    public static final String EGRESS_BATCH_PROP_NAME = "moq.relay.egress.batch";
    public static final int EGRESS_BATCH_DEFAULT = 64;

    /** Control commands queued for one egress loop (subscriber add/remove, fetch start, done). */
    public static final String EGRESS_COMMAND_QUEUE_PROP_NAME = "moq.relay.egress.command.queue";
    public static final int EGRESS_COMMAND_QUEUE_DEFAULT = 65_536;

    /** Downstream subscriptions (SUBSCRIBE) plus fetches one session may hold. */
    public static final String SESSION_MAX_REQUESTS_PROP_NAME = "moq.relay.session.max.requests";
    public static final int SESSION_MAX_REQUESTS_DEFAULT = 4_096;

    /** PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE and SUBSCRIBE_TRACKS registrations one session may hold. */
    public static final String SESSION_MAX_NAMESPACES_PROP_NAME = "moq.relay.session.max.namespaces";
    public static final int SESSION_MAX_NAMESPACES_DEFAULT = 1_024;

    /**
     * Milliseconds a track without subscribers, fetches or new objects keeps its cache before the segments go back
     * to the pool (and the track is forgotten if no publisher remains). 30 s covers a viewer's reconnect.
     */
    public static final String TRACK_IDLE_TIMEOUT_MS_PROP_NAME = "moq.relay.track.idle.timeout.ms";
    public static final long TRACK_IDLE_TIMEOUT_MS_DEFAULT = 30_000;

    private final int ringSize;
    private final int segmentBytes;
    private final long trackCacheBytes;
    private final int trackCacheGroups;
    private final int trackOverflowSegments;
    private final long storeMaxBytes;
    private final int maxTracks;
    private final long subscriberBacklogBytes;
    private final int maxOpenSubgroups;
    private final int egressBatch;
    private final int egressCommandQueue;
    private final int sessionMaxRequests;
    private final int sessionMaxNamespaces;
    private final long trackIdleTimeoutMs;

    private RelayConfiguration(final Map<?, ?> p)
    {
        ringSize = intValue(p, RING_SIZE_PROP_NAME, RING_SIZE_DEFAULT, 64, 1 << 24);
        requirePowerOfTwo(RING_SIZE_PROP_NAME, ringSize);
        segmentBytes = intValue(p, SEGMENT_BYTES_PROP_NAME, SEGMENT_BYTES_DEFAULT, 4096, 1 << 30);
        requirePowerOfTwo(SEGMENT_BYTES_PROP_NAME, segmentBytes);
        trackCacheBytes = longValue(p, TRACK_CACHE_BYTES_PROP_NAME, TRACK_CACHE_BYTES_DEFAULT, segmentBytes * 2L,
            Long.MAX_VALUE / 2);
        trackCacheGroups = intValue(p, TRACK_CACHE_GROUPS_PROP_NAME, TRACK_CACHE_GROUPS_DEFAULT, 1, 1 << 20);
        trackOverflowSegments = intValue(p, TRACK_OVERFLOW_SEGMENTS_PROP_NAME, TRACK_OVERFLOW_SEGMENTS_DEFAULT, 1, 1 << 16);
        storeMaxBytes = longValue(p, STORE_MAX_BYTES_PROP_NAME, STORE_MAX_BYTES_DEFAULT, segmentBytes, Long.MAX_VALUE / 2);
        maxTracks = intValue(p, MAX_TRACKS_PROP_NAME, MAX_TRACKS_DEFAULT, 1, Integer.MAX_VALUE);
        subscriberBacklogBytes = longValue(p, SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, SUBSCRIBER_BACKLOG_BYTES_DEFAULT,
            1, Long.MAX_VALUE / 2);
        if (subscriberBacklogBytes >= trackCacheBytes - segmentBytes)
        {
            throw new IllegalArgumentException(SUBSCRIBER_BACKLOG_BYTES_PROP_NAME + "=" + subscriberBacklogBytes +
                " must be smaller than " + TRACK_CACHE_BYTES_PROP_NAME + " minus one segment (" +
                (trackCacheBytes - segmentBytes) + "): lower the backlog or raise the cache");
        }
        maxOpenSubgroups = intValue(p, MAX_OPEN_SUBGROUPS_PROP_NAME, MAX_OPEN_SUBGROUPS_DEFAULT, 1, 1 << 16);
        egressBatch = intValue(p, EGRESS_BATCH_PROP_NAME, EGRESS_BATCH_DEFAULT, 1, 1 << 20);
        egressCommandQueue = intValue(p, EGRESS_COMMAND_QUEUE_PROP_NAME, EGRESS_COMMAND_QUEUE_DEFAULT, 16, 1 << 24);
        sessionMaxRequests = intValue(p, SESSION_MAX_REQUESTS_PROP_NAME, SESSION_MAX_REQUESTS_DEFAULT, 1, 1 << 24);
        sessionMaxNamespaces = intValue(p, SESSION_MAX_NAMESPACES_PROP_NAME, SESSION_MAX_NAMESPACES_DEFAULT, 1, 1 << 24);
        trackIdleTimeoutMs = longValue(p, TRACK_IDLE_TIMEOUT_MS_PROP_NAME, TRACK_IDLE_TIMEOUT_MS_DEFAULT, 0,
            Long.MAX_VALUE / 1_000_000);
    }

    /** A snapshot of the system properties, defaults for the ones not set. */
    public static RelayConfiguration load()
    {
        final Properties props = System.getProperties();
        return new RelayConfiguration(props);
    }

    /** A snapshot of {@code values} (property name to value), defaults for the ones not set. */
    public static RelayConfiguration from(final Map<String, String> values)
    {
        return new RelayConfiguration(values);
    }

    /** All defaults. */
    public static RelayConfiguration defaults()
    {
        return new RelayConfiguration(Map.of());
    }

    public int ringSize()
    {
        return ringSize;
    }

    public int segmentBytes()
    {
        return segmentBytes;
    }

    public long trackCacheBytes()
    {
        return trackCacheBytes;
    }

    /** Cache bytes as whole segments, rounded up. */
    public int trackCacheSegments()
    {
        return (int)Math.min(Integer.MAX_VALUE / 2, (trackCacheBytes + segmentBytes - 1) / segmentBytes);
    }

    public int trackCacheGroups()
    {
        return trackCacheGroups;
    }

    public int trackOverflowSegments()
    {
        return trackOverflowSegments;
    }

    public long storeMaxBytes()
    {
        return storeMaxBytes;
    }

    public int maxTracks()
    {
        return maxTracks;
    }

    public long subscriberBacklogBytes()
    {
        return subscriberBacklogBytes;
    }

    public int maxOpenSubgroups()
    {
        return maxOpenSubgroups;
    }

    public int egressBatch()
    {
        return egressBatch;
    }

    public int egressCommandQueue()
    {
        return egressCommandQueue;
    }

    public int sessionMaxRequests()
    {
        return sessionMaxRequests;
    }

    public int sessionMaxNamespaces()
    {
        return sessionMaxNamespaces;
    }

    public long trackIdleTimeoutMs()
    {
        return trackIdleTimeoutMs;
    }

    private static String raw(final Map<?, ?> p, final String name)
    {
        final Object v = p.get(name);
        return v == null ? null : v.toString().trim().replace("_", "");
    }

    private static int intValue(final Map<?, ?> p, final String name, final int def, final int min, final int max)
    {
        final long v = longValue(p, name, def, min, max);
        return (int)v;
    }

    private static long longValue(final Map<?, ?> p, final String name, final long def, final long min, final long max)
    {
        final String s = raw(p, name);
        if (s == null || s.isEmpty())
        {
            return def;
        }
        final long v;
        try
        {
            v = parseSize(s);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + s + " is not a number: use digits, optionally with a k, m " +
                "or g suffix (powers of 1024); default " + def);
        }
        if (v < min || v > max)
        {
            throw new IllegalArgumentException(name + "=" + s + " is out of range: use a value in [" + min + ", " + max +
                "]; default " + def);
        }
        return v;
    }

    private static long parseSize(final String s)
    {
        final char last = Character.toLowerCase(s.charAt(s.length() - 1));
        final long mult = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : last == 'g' ? 1L << 30 : 1;
        final String digits = mult == 1 ? s : s.substring(0, s.length() - 1);
        return Math.multiplyExact(Long.parseLong(digits), mult);
    }

    private static boolean booleanValue(final Map<?, ?> p, final String name, final boolean def)
    {
        final String s = raw(p, name);
        if (s == null || s.isEmpty())
        {
            return def;
        }
        if (s.equalsIgnoreCase("true"))
        {
            return true;
        }
        if (s.equalsIgnoreCase("false"))
        {
            return false;
        }
        throw new IllegalArgumentException(name + "=" + s + " is not a boolean: use true or false; default " + def);
    }

    private static void requirePowerOfTwo(final String name, final int value)
    {
        if (Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException(name + "=" + value + " must be a power of two, e.g. " +
                Integer.highestOneBit(value));
        }
    }

    @Override
    public String toString()
    {
        return "RelayConfiguration{ring=" + ringSize + ", segment=" + segmentBytes + ", trackCache=" + trackCacheBytes +
            "B/" + trackCacheGroups + " groups, overflowSegments=" + trackOverflowSegments + ", storeMax=" +
            storeMaxBytes + ", maxTracks=" + maxTracks + ", backlog=" + subscriberBacklogBytes + ", maxOpenSubgroups=" +
            maxOpenSubgroups + ", egressBatch=" + egressBatch + ", idleMs=" + trackIdleTimeoutMs + "}";
    }
}
