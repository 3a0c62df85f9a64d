package moq.relay.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every size and limit of the relay, read from system properties named {@code moq.relay.*}, in the style of Aeron's
 * {@code Configuration}: for each setting a {@code *_PROP_NAME} constant, a {@code *_DEFAULT} constant and a javadoc on
 * what it tunes and why the default is what it is.
 * <p>
 * An instance is an immutable snapshot: {@link #load()} reads the system properties once, {@link #from(Map)} reads a map
 * (tests, benchmarks). Every setting is read through one parser, {@link ConfigValues}, with one family of instance
 * accessors: the engine's settings (the first group) are parsed and checked when the snapshot is taken, since they
 * depend on each other; the transport's, sessions' and limits' (QUIC, TLS, server, WebTransport, sessions) when
 * their accessor is called, which the server does once, building its settings records, before it binds anything. A
 * bad value fails with a {@link ConfigurationException} naming the property, the value and what to write instead.
 *
 * <p>Value syntax, the same for every setting: counts are whole numbers ({@code 4096}); sizes are bytes with an
 * optional binary suffix ({@code 65536}, {@code 64k}, {@code 16m}, {@code 1g}); {@code _} may separate the digits of
 * either ({@code 10_000}); durations need a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 13d});
 * booleans are {@code true} or {@code false}; lists are comma-separated.
 */
public final class RelayConfiguration
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayConfiguration.class);

    /**
     * Slots in the Disruptor ring that carries object events from ingest to the egress loops. Must be a power of two.
     * Each slot is one small preallocated event; 65,536 slots absorb a burst of that many objects while an egress loop
     * is busy, before publishers wait for it.
     */
    public static final String RING_SIZE_PROP_NAME = "moq.relay.ring.size";
    public static final int RING_SIZE_DEFAULT = 65_536;

    /**
     * Bytes in one off-heap store segment, the unit in which track logs grow, shrink and are recycled. Must be a power
     * of two between 4 KiB and 1 GiB. An object larger than a segment (header, properties and payload) gets a jumbo
     * segment of its own, a whole number of segments long (see {@link #STORE_MAX_OBJECT_BYTES_PROP_NAME}): 1 MiB holds
     * most video frames in the shared segments while wasting at most one segment of padding per track.
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
     * track drops new objects rather than overwrite memory that a writer reads. A track's footprint is at most
     * {@link #trackCacheSegments()} + this + 1 segments (the one it just recycled and reuses next).
     */
    public static final String TRACK_OVERFLOW_SEGMENTS_PROP_NAME = "moq.relay.store.track.overflow.segments";
    public static final int TRACK_OVERFLOW_SEGMENTS_DEFAULT = 4;

    /**
     * Total off-heap bytes of all track logs. Segments are pooled and reused; a track that cannot get a segment within
     * this bound rejects the object (EXCESSIVE_LOAD for its publisher only). 1 GiB is 64 tracks at the default cache.
     * Each track holds at most its cache plus {@link #TRACK_OVERFLOW_SEGMENTS_PROP_NAME overflow} segments plus one
     * (the segment it just recycled and reuses next); the pool allocates only when no segment is pooled, so the bytes
     * it allocates never exceed the sum of that over the tracks held at once, nor this bound.
     */
    public static final String STORE_MAX_BYTES_PROP_NAME = "moq.relay.store.max.bytes";
    public static final long STORE_MAX_BYTES_DEFAULT = 1L << 30;

    /**
     * Largest object (properties plus payload) the relay stores and forwards. An object larger than a store segment
     * is stored in a jumbo segment of its own (whole segments, from the same {@link #STORE_MAX_BYTES_PROP_NAME}
     * bound, counted toward the track's cache). A publisher's object above this is not forwarded: its subgroup stream
     * is stopped (STOP_SENDING) and the subscribers' stream of that subgroup reset, both with EXCESSIVE_LOAD, and it is
     * counted ({@code TrackIngest.oversized()}); the track's next subgroups flow on. 8 MiB holds a 4K key frame of a
     * high-quality encode (typically 1 to 4 MiB) with room to spare, while the default 16 MiB track cache still holds
     * such an object and the rest of its group; left unset, it is lowered to fit smaller caches or gather budgets.
     * At start-up it must not exceed the track cache minus one segment (the
     * object and the segment its group continues in are cached together) nor
     * {@link #SESSION_MAX_GATHERED_BYTES_PROP_NAME} (a publisher's object that spans reads is gathered within that
     * budget before it is stored, so one session can gather that many bytes of objects at once: 32 MiB is four
     * maximal objects).
     */
    public static final String STORE_MAX_OBJECT_BYTES_PROP_NAME = "moq.relay.store.max.object.bytes";
    /** 8 MiB; lowered to what the track cache and the gather budget hold when they are smaller and this is unset. */
    public static final int STORE_MAX_OBJECT_BYTES_DEFAULT = 8 << 20;
    /** A store record's header with alignment padding, at most (TrackLog.HEADER_LENGTH 56, aligned to 8). */
    private static final int MAX_RECORD_OVERHEAD = 64;

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
     * Longest an object may wait inside the relay for one subscriber (since it was ingested, or since the subscription
     * started for an object replayed from the cache) before it is handed to that subscriber's writer, while the writer
     * is unwritable (its QUIC streams already hold their share: flow control, congestion). Past it, as past
     * {@link #SUBSCRIBER_BACKLOG_BYTES_PROP_NAME}, its open subgroups are reset with TOO_FAR_BEHIND and it resumes at
     * the next group; counted with the byte bound's skips. Checked when new objects of the track arrive. The byte bound
     * protects memory; this one latency: at full speed a subscriber's 4 MiB backlog is seconds of queueing. 0s turns it
     * off.
     */
    public static final String SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME = "moq.relay.subscriber.backlog.max.delay";
    /**
     * 1 s: sheds the seconds of queueing the byte bound alone allows at high rates, while a subscriber briefly
     * unwritable (waiting for stream credit, a loaded host) keeps every object. A low-latency relay (a video call, the
     * fan-out latency target of issue #19) sets 150ms, so that it never holds an object 200 ms.
     */
    public static final Duration SUBSCRIBER_BACKLOG_MAX_DELAY_DEFAULT = Duration.ofSeconds(1);

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

    /**
     * Bytes of the buffer each egress loop converts Object Properties into, for a subscriber whose draft encodes them
     * otherwise than the publisher's (draft 14's Extension Headers against drafts 18 and 20); its pair tables take
     * about fourteen times as much (56 KiB at the default). A converted block larger than this is left out (the
     * object goes without its properties, counted in {@code moq_relay_object_properties_dropped_total}). 4 KiB:
     * properties are small metadata (a timestamp, a few ids), and a block at most doubles when converted.
     */
    public static final String EGRESS_PROPERTIES_CONVERSION_BYTES_PROP_NAME =
        "moq.relay.egress.properties.conversion.bytes";
    public static final int EGRESS_PROPERTIES_CONVERSION_BYTES_DEFAULT = 4096;

    /** Downstream subscriptions (SUBSCRIBE) plus fetches one session may hold. */
    public static final String SESSION_MAX_REQUESTS_PROP_NAME = "moq.relay.session.max.requests";
    public static final int SESSION_MAX_REQUESTS_DEFAULT = 4_096;

    /**
     * MAX_FILTER_RANGES a draft-20 session announces in SETUP (draft-21 §9.1.6): the Ranges one subscription's Range
     * Filters may hold in all, evaluated by the relay for every object scheduled for that subscription; a request with
     * more is refused with INVALID_FILTER. 0 announces none, which forbids Range Filters (any is INVALID_FILTER).
     */
    public static final String SESSION_MAX_FILTER_RANGES_PROP_NAME = "moq.relay.session.max.filter.ranges";
    /**
     * 16: a few SetIDs of a few Ranges each (key frames only, a layer or two, a priority band); each costs a compare or
     * two per object for the filtered subscription only, and nothing for the others.
     */
    public static final int SESSION_MAX_FILTER_RANGES_DEFAULT = 16;

    /** PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE and SUBSCRIBE_TRACKS registrations one session may hold. */
    public static final String SESSION_MAX_NAMESPACES_PROP_NAME = "moq.relay.session.max.namespaces";
    public static final int SESSION_MAX_NAMESPACES_DEFAULT = 1_024;

    /**
     * How long a track without subscribers, fetches or new objects keeps its cache before the segments go back to the
     * pool (and the track is forgotten if no publisher remains). 30 s covers a viewer's reconnect. It replaces
     * {@link #TRACK_IDLE_TIMEOUT_MS_OLD_NAME}, which is still read, as whole milliseconds, with a warning.
     */
    public static final String TRACK_IDLE_TIMEOUT_PROP_NAME = "moq.relay.track.idle.timeout";
    public static final Duration TRACK_IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
    /**
     * The idle timeout's name before durations took units: whole milliseconds ({@code 30000}). Read when the new name
     * is not set, with a warning; a size suffix, which it once accepted ({@code 1k} was 1,024 ms), is refused.
     */
    public static final String TRACK_IDLE_TIMEOUT_MS_OLD_NAME = "moq.relay.track.idle.timeout.ms";
    /** The idle timeout's bound: nanoseconds of it fit a long. */
    private static final Duration TRACK_IDLE_TIMEOUT_MAX = Duration.ofMillis(Long.MAX_VALUE / 1_000_000);

    /**
     * Bytes all sessions' publisher streams together may hold before their objects reach a track's log: decoders'
     * scratch for headers split across reads and payloads gathered for objects that span reads (each session also
     * within {@link #SESSION_MAX_GATHERED_BYTES_PROP_NAME}). These buffers grow only with bytes actually received; a
     * stream whose buffer would exceed either bound is stopped (STOP_SENDING) and its subgroup reset downstream with
     * EXCESSIVE_LOAD, while other streams and sessions carry on.
     */
    public static final String INGEST_MAX_BUFFERED_BYTES_PROP_NAME = "moq.relay.ingest.max.buffered.bytes";
    /** 256 MiB: eight sessions at the default per-session bound at once; size it with the heap and direct memory. */
    public static final long INGEST_MAX_BUFFERED_BYTES_DEFAULT = 256L << 20;

    /**
     * Bytes of upstream FETCH answers the relay keeps, all tracks together, so that a later FETCH of a range it fetched
     * from a publisher is answered locally instead of by a second upstream FETCH (a CDN edge serving a second late
     * joiner). Counted as properties and payload plus a small per-object overhead, on the heap; the oldest kept range
     * is evicted first. 0 turns the store off.
     */
    public static final String FETCH_CACHE_MAX_BYTES_PROP_NAME = "moq.relay.fetch.cache.max.bytes";
    /** 64 MiB: about half a minute of a 16 Mbit/s track, or a few seconds of each of many; size it with the heap. */
    public static final long FETCH_CACHE_MAX_BYTES_DEFAULT = 64L << 20;

    /**
     * Bytes of upstream FETCH answers kept per track (within {@link #FETCH_CACHE_MAX_BYTES_PROP_NAME}): an answer
     * larger than this is relayed but not kept, and a track's oldest kept range goes first when a new one would pass
     * it, so one track's long fetches do not evict every other track's.
     */
    public static final String FETCH_CACHE_TRACK_BYTES_PROP_NAME = "moq.relay.fetch.cache.track.bytes";
    /** 16 MiB: a quarter of the relay-wide default. */
    public static final long FETCH_CACHE_TRACK_BYTES_DEFAULT = 16L << 20;

    /**
     * Groups one FETCH may have asked of a publisher that answers one group per request (a moq-lite publisher: a
     * Fetch Stream per group, docs/engine.md "Upstream FETCH"): a range over more groups is answered for this many,
     * those nearest its start in ascending order (FETCH_OK's End Location ends there), nearest its end in descending
     * order (the rest reported as an End of Unknown Range), so a FETCH of 10^6 groups costs the relay this many
     * requests, at most 4 open at once (docs/moq-lite.md).
     */
    public static final String FETCH_UPSTREAM_MAX_GROUPS_PROP_NAME = "moq.relay.fetch.upstream.max.groups";
    /** 128: a few minutes of 2 s groups, beyond any live catch-up; a VOD client pages with further FETCHes. */
    public static final int FETCH_UPSTREAM_MAX_GROUPS_DEFAULT = 128;

    /**
     * Longest a draft-20 fill fetch stream (FILL_PARAMETERS) waits for the publisher's answer to the relay's upstream
     * FETCH before it reports what has not arrived as an End of Timed-Out Range and serves the rest of its range from
     * the cache: the wait when the subscriber's FILL_TIMEOUT is absent ("an implementation specific duration",
     * draft-21 §9.20.6), and the cap of a larger FILL_TIMEOUT. 0s: no bound.
     */
    public static final String FILL_MAX_WAIT_PROP_NAME = "moq.relay.fill.max.wait";
    /** 5 s: a late joiner's history is worth a few seconds; past that the live edge matters more. */
    public static final Duration FILL_MAX_WAIT_DEFAULT = Duration.ofSeconds(5);

    private final int ringSize;
    private final int segmentBytes;
    private final long trackCacheBytes;
    private final int trackCacheGroups;
    private final int trackOverflowSegments;
    private final long storeMaxBytes;
    private final int storeMaxObjectBytes;
    private final int maxTracks;
    private final long subscriberBacklogBytes;
    private final Duration subscriberBacklogMaxDelay;
    private final int maxOpenSubgroups;
    private final int egressBatch;
    private final int egressCommandQueue;
    private final int egressPropertiesConversionBytes;
    private final int sessionMaxRequests;
    private final int sessionMaxNamespaces;
    private final Duration trackIdleTimeout;
    private final long ingestMaxBufferedBytes;
    private final long fetchCacheMaxBytes;
    private final long fetchCacheTrackBytes;
    private final int fetchUpstreamMaxGroups;
    private final Duration fillMaxWait;

    /** The property values this snapshot was taken from (a copy): transport and session settings read it too. */
    private final ConfigValues values;

    private RelayConfiguration(final Map<?, ?> p)
    {
        values = new ConfigValues(p);
        ringSize = values.count(RING_SIZE_PROP_NAME, RING_SIZE_DEFAULT, 64, 1 << 24);
        requirePowerOfTwo(RING_SIZE_PROP_NAME, ringSize);
        segmentBytes = (int)values.size(SEGMENT_BYTES_PROP_NAME, SEGMENT_BYTES_DEFAULT, 4096, 1 << 30);
        requirePowerOfTwo(SEGMENT_BYTES_PROP_NAME, segmentBytes);
        trackCacheBytes = values.size(TRACK_CACHE_BYTES_PROP_NAME, TRACK_CACHE_BYTES_DEFAULT, segmentBytes * 2L,
            Long.MAX_VALUE / 2);
        trackCacheGroups = values.count(TRACK_CACHE_GROUPS_PROP_NAME, TRACK_CACHE_GROUPS_DEFAULT, 1, 1 << 20);
        trackOverflowSegments = values.count(TRACK_OVERFLOW_SEGMENTS_PROP_NAME, TRACK_OVERFLOW_SEGMENTS_DEFAULT, 1,
            1 << 16);
        storeMaxBytes = values.size(STORE_MAX_BYTES_PROP_NAME, STORE_MAX_BYTES_DEFAULT, segmentBytes,
            Long.MAX_VALUE / 2);
        // The largest object that fits the cache minus one segment, with its record header.
        final long fitsCache = Math.min((1 << 30) - 4096,
            (trackCacheSegments() - 1L) * segmentBytes - MAX_RECORD_OVERHEAD);
        if (!values.isSet(STORE_MAX_OBJECT_BYTES_PROP_NAME))
        {
            storeMaxObjectBytes = (int)Math.min(STORE_MAX_OBJECT_BYTES_DEFAULT,
                Math.min(fitsCache, sessionMaxGatheredBytes()));
        }
        else
        {
            storeMaxObjectBytes = (int)values.size(STORE_MAX_OBJECT_BYTES_PROP_NAME, STORE_MAX_OBJECT_BYTES_DEFAULT, 0,
                (1 << 30) - 4096);
        }
        if (storeMaxObjectBytes > fitsCache)
        {
            throw new ConfigurationException(STORE_MAX_OBJECT_BYTES_PROP_NAME,
                values.raw(STORE_MAX_OBJECT_BYTES_PROP_NAME),
                "does not fit " + TRACK_CACHE_BYTES_PROP_NAME + " minus one segment with its record header (at most " +
                fitsCache + "): lower the maximum object or raise the cache");
        }
        if (storeMaxObjectBytes > sessionMaxGatheredBytes())
        {
            throw new ConfigurationException(STORE_MAX_OBJECT_BYTES_PROP_NAME,
                values.raw(STORE_MAX_OBJECT_BYTES_PROP_NAME),
                "exceeds " + SESSION_MAX_GATHERED_BYTES_PROP_NAME + " (" + sessionMaxGatheredBytes() +
                "): a publisher could not send a maximal object; lower the one or raise the other");
        }
        maxTracks = values.count(MAX_TRACKS_PROP_NAME, MAX_TRACKS_DEFAULT, 1, Integer.MAX_VALUE);
        subscriberBacklogBytes = values.size(SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, SUBSCRIBER_BACKLOG_BYTES_DEFAULT,
            1, Long.MAX_VALUE / 2);
        if (subscriberBacklogBytes >= trackCacheBytes - segmentBytes)
        {
            throw new ConfigurationException(SUBSCRIBER_BACKLOG_BYTES_PROP_NAME,
                values.string(SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, ConfigValues.formatSize(subscriberBacklogBytes)),
                "must be smaller than " + TRACK_CACHE_BYTES_PROP_NAME + " minus one segment (" +
                (trackCacheBytes - segmentBytes) + "): lower the backlog or raise the cache");
        }
        maxOpenSubgroups = values.count(MAX_OPEN_SUBGROUPS_PROP_NAME, MAX_OPEN_SUBGROUPS_DEFAULT, 1, 1 << 16);
        egressBatch = values.count(EGRESS_BATCH_PROP_NAME, EGRESS_BATCH_DEFAULT, 1, 1 << 20);
        egressCommandQueue = values.count(EGRESS_COMMAND_QUEUE_PROP_NAME, EGRESS_COMMAND_QUEUE_DEFAULT, 16, 1 << 24);
        egressPropertiesConversionBytes = (int)values.size(EGRESS_PROPERTIES_CONVERSION_BYTES_PROP_NAME,
            EGRESS_PROPERTIES_CONVERSION_BYTES_DEFAULT, 64, 1 << 18);
        sessionMaxRequests = values.count(SESSION_MAX_REQUESTS_PROP_NAME, SESSION_MAX_REQUESTS_DEFAULT, 1, 1 << 24);
        sessionMaxNamespaces = values.count(SESSION_MAX_NAMESPACES_PROP_NAME, SESSION_MAX_NAMESPACES_DEFAULT, 1,
            1 << 24);
        trackIdleTimeout = readTrackIdleTimeout(values);
        subscriberBacklogMaxDelay = values.duration(SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME,
            SUBSCRIBER_BACKLOG_MAX_DELAY_DEFAULT, Duration.ZERO, TRACK_IDLE_TIMEOUT_MAX);
        ingestMaxBufferedBytes = values.size(INGEST_MAX_BUFFERED_BYTES_PROP_NAME, INGEST_MAX_BUFFERED_BYTES_DEFAULT,
            4096, Long.MAX_VALUE / 2);
        fetchCacheMaxBytes = values.size(FETCH_CACHE_MAX_BYTES_PROP_NAME, FETCH_CACHE_MAX_BYTES_DEFAULT, 0,
            Long.MAX_VALUE / 2);
        fetchCacheTrackBytes = values.size(FETCH_CACHE_TRACK_BYTES_PROP_NAME,
            Math.min(FETCH_CACHE_TRACK_BYTES_DEFAULT, fetchCacheMaxBytes), 0, Long.MAX_VALUE / 2);
        fetchUpstreamMaxGroups = values.count(FETCH_UPSTREAM_MAX_GROUPS_PROP_NAME, FETCH_UPSTREAM_MAX_GROUPS_DEFAULT,
            1, 1 << 20);
        fillMaxWait = values.duration(FILL_MAX_WAIT_PROP_NAME, FILL_MAX_WAIT_DEFAULT, Duration.ZERO,
            TRACK_IDLE_TIMEOUT_MAX);
        if (fetchCacheTrackBytes > fetchCacheMaxBytes)
        {
            throw new ConfigurationException(FETCH_CACHE_TRACK_BYTES_PROP_NAME,
                values.raw(FETCH_CACHE_TRACK_BYTES_PROP_NAME), "exceeds " + FETCH_CACHE_MAX_BYTES_PROP_NAME + " (" +
                ConfigValues.formatSize(fetchCacheMaxBytes) + "): lower it or raise that");
        }
    }

    /** The idle timeout; from {@link #TRACK_IDLE_TIMEOUT_MS_OLD_NAME}, with a warning, when only that is set. */
    private static Duration readTrackIdleTimeout(final ConfigValues values)
    {
        if (!values.isSet(TRACK_IDLE_TIMEOUT_MS_OLD_NAME))
        {
            return values.duration(TRACK_IDLE_TIMEOUT_PROP_NAME, TRACK_IDLE_TIMEOUT_DEFAULT, Duration.ZERO,
                TRACK_IDLE_TIMEOUT_MAX);
        }
        final String old = values.raw(TRACK_IDLE_TIMEOUT_MS_OLD_NAME);
        if (values.isSet(TRACK_IDLE_TIMEOUT_PROP_NAME))
        {
            throw new ConfigurationException(TRACK_IDLE_TIMEOUT_MS_OLD_NAME, old, "it was renamed " +
                TRACK_IDLE_TIMEOUT_PROP_NAME + ", which is set too: remove the old name");
        }
        final long millis;
        try
        {
            millis = values.longCount(TRACK_IDLE_TIMEOUT_MS_OLD_NAME, TRACK_IDLE_TIMEOUT_DEFAULT.toMillis(), 0,
                TRACK_IDLE_TIMEOUT_MAX.toMillis());
        }
        catch (final ConfigurationException ex)
        {
            throw new ConfigurationException(TRACK_IDLE_TIMEOUT_MS_OLD_NAME, old, "the old name takes whole " +
                "milliseconds; better, write " + TRACK_IDLE_TIMEOUT_PROP_NAME + " with a unit, e.g. " +
                TRACK_IDLE_TIMEOUT_PROP_NAME + "=30s");
        }
        LOG.warn("-D{}={} is deprecated: write -D{}={}ms (durations take a unit)", TRACK_IDLE_TIMEOUT_MS_OLD_NAME, old,
            TRACK_IDLE_TIMEOUT_PROP_NAME, millis);
        return Duration.ofMillis(millis);
    }

    /** A snapshot of the system properties, defaults for the ones not set. */
    public static RelayConfiguration load()
    {
        final Map<String, String> props = new java.util.HashMap<>();
        for (final String name : System.getProperties().stringPropertyNames())
        {
            props.put(name, System.getProperty(name));
        }
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

    /** Largest object (properties plus payload) stored and forwarded; see {@link #STORE_MAX_OBJECT_BYTES_PROP_NAME}. */
    public int storeMaxObjectBytes()
    {
        return storeMaxObjectBytes;
    }

    /** See {@link #INGEST_MAX_BUFFERED_BYTES_PROP_NAME}. */
    public long ingestMaxBufferedBytes()
    {
        return ingestMaxBufferedBytes;
    }

    /** See {@link #FETCH_CACHE_MAX_BYTES_PROP_NAME}; 0 = off. */
    public long fetchCacheMaxBytes()
    {
        return fetchCacheMaxBytes;
    }

    /** See {@link #FILL_MAX_WAIT_PROP_NAME}; {@link Duration#ZERO} = no bound. */
    public Duration fillMaxWait()
    {
        return fillMaxWait;
    }

    /** See {@link #FETCH_UPSTREAM_MAX_GROUPS_PROP_NAME}. */
    public int fetchUpstreamMaxGroups()
    {
        return fetchUpstreamMaxGroups;
    }

    /** See {@link #FETCH_CACHE_TRACK_BYTES_PROP_NAME}. */
    public long fetchCacheTrackBytes()
    {
        return fetchCacheTrackBytes;
    }

    public int maxTracks()
    {
        return maxTracks;
    }

    public long subscriberBacklogBytes()
    {
        return subscriberBacklogBytes;
    }

    /** See {@link #SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME}; {@link Duration#ZERO} = off. */
    public Duration subscriberBacklogMaxDelay()
    {
        return subscriberBacklogMaxDelay;
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

    /** See {@link #EGRESS_PROPERTIES_CONVERSION_BYTES_PROP_NAME}. */
    public int egressPropertiesConversionBytes()
    {
        return egressPropertiesConversionBytes;
    }

    public int sessionMaxRequests()
    {
        return sessionMaxRequests;
    }

    public int sessionMaxFilterRanges()
    {
        return values.count(SESSION_MAX_FILTER_RANGES_PROP_NAME, SESSION_MAX_FILTER_RANGES_DEFAULT, 0, 1024);
    }

    public int sessionMaxNamespaces()
    {
        return sessionMaxNamespaces;
    }

    /** See {@link #TRACK_IDLE_TIMEOUT_PROP_NAME}. */
    public Duration trackIdleTimeout()
    {
        return trackIdleTimeout;
    }

    private static void requirePowerOfTwo(final String name, final int value)
    {
        if (Integer.bitCount(value) != 1)
        {
            throw new ConfigurationException(name, Integer.toString(value), "must be a power of two, e.g. " +
                Integer.highestOneBit(value));
        }
    }

    @Override
    public String toString()
    {
        return "RelayConfiguration{ring=" + ringSize + ", segment=" + segmentBytes + ", trackCache=" + trackCacheBytes +
            "B/" + trackCacheGroups + " groups, overflowSegments=" + trackOverflowSegments + ", storeMax=" +
            storeMaxBytes + ", maxTracks=" + maxTracks + ", backlog=" + subscriberBacklogBytes + ", maxOpenSubgroups=" +
            maxOpenSubgroups + ", egressBatch=" + egressBatch + ", idle=" +
            ConfigValues.formatDuration(trackIdleTimeout) + "}";
    }

    // ---- Everything below is read from the same snapshot as the engine settings above, when asked: the server
    // ---- builds its settings records (ServerSettings, QuicSettings, ...) from it once, before it binds anything.

    // ---- Transport: QUIC, TLS, server ----

    /** Log level of the root logger (logback.xml reads it at start-up): TRACE, DEBUG, INFO, WARN, ERROR. */
    public static final String LOG_LEVEL_PROP_NAME = "moq.relay.log.level";
    /** INFO: one line per connection open and close, which is what an operator wants by default. */
    public static final String LOG_LEVEL_DEFAULT = "INFO";

    /**
     * Log level of logger {@code moq.relay.control} (logback.xml reads it at start-up): DEBUG logs one line per MoQT
     * and moq-lite control message each session sends and receives, decoded, with the session id and tokens redacted.
     */
    public static final String LOG_CONTROL_PROP_NAME = "moq.relay.log.control";
    /** INFO: no control message lines (they cost one level check per control message, never per object). */
    public static final String LOG_CONTROL_DEFAULT = "INFO";

    /**
     * Netty's buffer leak detector level for {@code serve} (Netty's own property): disabled, simple, advanced or
     * paranoid. The relay sets it to the default below unless it is given.
     */
    public static final String NETTY_LEAK_DETECTION_PROP_NAME = "io.netty.leakDetection.level";
    /**
     * disabled: Netty's own default (simple) records a stack trace for one buffer in 128, which at a relay's buffer
     * rate (objects x subscribers) is tens of thousands of traces per second; turn it on to hunt a leak.
     */
    public static final String NETTY_LEAK_DETECTION_DEFAULT = "disabled";

    /** UDP port the relay serves raw QUIC and WebTransport on; 0 picks an ephemeral port (tests). */
    public static final String PORT_PROP_NAME = "moq.relay.port";
    /** 4443: unprivileged, and the port the MoQT tools and demos commonly use. */
    public static final int PORT_DEFAULT = 4443;

    /** Local address to bind. */
    public static final String BIND_ADDRESS_PROP_NAME = "moq.relay.bind.address";
    /** All IPv4 interfaces. */
    public static final String BIND_ADDRESS_DEFAULT = "0.0.0.0";

    /**
     * Number of I/O event loops; each owns one UDP socket bound to the same port with SO_REUSEPORT (epoll only),
     * and every connection lives on exactly one of them; each also owns one egress loop of the engine. 0 means the
     * number of available processors ({@link Runtime#availableProcessors()}, which honours container CPU limits).
     */
    public static final String EVENT_LOOPS_PROP_NAME = "moq.relay.event.loops";
    /**
     * 0, every core: QUIC encryption and sending is the relay's main cost, and it only scales with loops. Ingest never
     * waits for a slow loop (docs/architecture.md, "Scaling to many cores"), so more loops cost nothing but threads.
     */
    public static final int EVENT_LOOPS_DEFAULT = 0;

    /** Use the native epoll transport when available (GSO, GRO, SO_REUSEPORT); false forces NIO. */
    public static final String EPOLL_PROP_NAME = "moq.relay.epoll";
    /** true: epoll is what gives QUIC GSO/GRO and several sockets on one port. */
    public static final boolean EPOLL_DEFAULT = true;

    /**
     * ALPN protocols offered, most preferred first. A connection whose negotiated protocol has no session factory
     * is closed.
     */
    public static final String ALPN_PROP_NAME = "moq.relay.alpn";
    /**
     * Draft-18, draft-20 and draft-14 raw QUIC, moq-lite-05, -04 and -03 raw QUIC, then HTTP/3 for WebTransport (raw
     * QUIC clients offer one protocol each, so the order matters little here).
     */
    public static final String ALPN_DEFAULT = "moqt-18,moqt-20,moq-00,moq-lite-05,moq-lite-04,moq-lite-03,h3";

    /** Close a connection after this long without any packet (QUIC max_idle_timeout). */
    public static final String QUIC_IDLE_TIMEOUT_PROP_NAME = "moq.relay.quic.idle.timeout";
    /** 30s: long enough for a paused viewer, short enough to reclaim dead peers; keep-alives are the session's job. */
    public static final Duration QUIC_IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

    /**
     * Connection-level flow-control credit a peer gets before the relay has read anything (initial_max_data): what one
     * connection can have in flight unread, since the relay grants more only as it reads. A peer's unread bytes wait
     * in the UDP socket receive queue the connections of that socket share ({@link #UDP_SO_RCVBUF_PROP_NAME}), so this
     * bounds how far one bulk publisher can queue ahead of everyone else's packets there, and whether it can overflow
     * the queue (the kernel then drops anyone's datagrams, and their QUIC loss recovery costs tens of milliseconds).
     * Past the initial credit quiche grants more as the relay reads (MAX_DATA), its window auto-tuned upward while the
     * relay keeps up with the peer, so a sustained flow is not limited to this.
     */
    public static final String QUIC_INITIAL_MAX_DATA_PROP_NAME = "moq.relay.quic.initial.max.data";
    /**
     * 2 MiB, half the default socket receive buffer: with 64 MiB a publisher's burst of 1-2 MiB objects (10 MiB at
     * once) filled the relay's receive queues (8 MiB of kernel memory) and overflowed them, 100-1,800 datagrams dropped
     * per burst, the healthy connections' packets among them (docs/hardening.md, LargeObjectsLatencyIT). See also
     * {@link #QUIC_INITIAL_MAX_STREAM_DATA_UNI_PROP_NAME}.
     */
    public static final long QUIC_INITIAL_MAX_DATA_DEFAULT = 2L << 20;

    /** Per-stream window of bidirectional streams the relay opens (initial_max_stream_data_bidi_local). */
    public static final String QUIC_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL_PROP_NAME =
        "moq.relay.quic.initial.max.stream.data.bidi.local";
    /** 16 MiB: a whole group of video on one stream never waits for a window update. */
    public static final long QUIC_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL_DEFAULT = 16L << 20;

    /** Per-stream window of bidirectional streams the peer opens (initial_max_stream_data_bidi_remote). */
    public static final String QUIC_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE_PROP_NAME =
        "moq.relay.quic.initial.max.stream.data.bidi.remote";
    /** 16 MiB: as for local streams (draft-14 FETCH responses and control can be large). */
    public static final long QUIC_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE_DEFAULT = 16L << 20;

    /** Per-stream window of unidirectional streams the peer opens (initial_max_stream_data_uni). */
    public static final String QUIC_INITIAL_MAX_STREAM_DATA_UNI_PROP_NAME =
        "moq.relay.quic.initial.max.stream.data.uni";
    /**
     * 1 MiB. Every subgroup stream starts with this credit, so with the connection's it bounds what a publisher's burst
     * of new streams has in flight unread ({@link #QUIC_INITIAL_MAX_DATA_PROP_NAME}): the connection's window is
     * auto-tuned upward as the relay keeps up, a new stream's is not, and with 16 MiB a burst of 1-2 MiB objects on
     * three new streams still overflowed the relay's receive queues after the connection's window had grown. A larger
     * object flows on as the relay reads it (one more round trip per window); raise this for publishers of multi-MiB
     * objects on long paths.
     */
    public static final long QUIC_INITIAL_MAX_STREAM_DATA_UNI_DEFAULT = 1L << 20;

    /**
     * Bidirectional streams the peer may have open at once (initial_max_streams_bidi). Draft-18 sessions also remember
     * this many request ids below a peer's highest, so a request arriving that late (streams are unordered) is refused
     * as INVALID_REQUEST_ID: it can no longer be told from a reused id.
     */
    public static final String QUIC_INITIAL_MAX_STREAMS_BIDI_PROP_NAME = "moq.relay.quic.initial.max.streams.bidi";
    /** 1000: draft-18 uses one bidi stream per request, so a subscriber to many tracks needs many. */
    public static final long QUIC_INITIAL_MAX_STREAMS_BIDI_DEFAULT = 1000;

    /** Unidirectional streams the peer may have open at once (initial_max_streams_uni). */
    public static final String QUIC_INITIAL_MAX_STREAMS_UNI_PROP_NAME = "moq.relay.quic.initial.max.streams.uni";
    /** 1000: a publisher opens one stream per subgroup; overlapping groups of many tracks need headroom. */
    public static final long QUIC_INITIAL_MAX_STREAMS_UNI_DEFAULT = 1000;

    /** Congestion controller: RENO, CUBIC or BBR (quiche's BBRv2; netty does not pace, so test BBR first). */
    public static final String QUIC_CONGESTION_CONTROL_PROP_NAME = "moq.relay.quic.congestion.control";
    /** CUBIC: measured as good as or better than BBR here, and BBR without pacing is risky on real paths. */
    public static final CongestionControl QUIC_CONGESTION_CONTROL_DEFAULT = CongestionControl.CUBIC;

    /** Largest UDP payload the relay sends (max_send_udp_payload_size); path MTU discovery does not raise it. */
    public static final String QUIC_MAX_SEND_UDP_PAYLOAD_PROP_NAME = "moq.relay.quic.max.send.udp.payload.size";
    /** 1350: fits common tunnels and PPPoE while carrying 12% more than QUIC's 1200 floor. */
    public static final int QUIC_MAX_SEND_UDP_PAYLOAD_DEFAULT = 1350;

    /** Largest UDP payload the relay accepts (max_udp_payload_size transport parameter). */
    public static final String QUIC_MAX_RECV_UDP_PAYLOAD_PROP_NAME = "moq.relay.quic.max.recv.udp.payload.size";
    /** 1500: accepts whatever a peer on an Ethernet path sends; the peer never sends more than this. */
    public static final int QUIC_MAX_RECV_UDP_PAYLOAD_DEFAULT = 1500;

    /** QUIC DATAGRAM frames (RFC 9221) buffered on receive before the relay reads them; also enables datagrams. */
    public static final String QUIC_DATAGRAM_RECV_QUEUE_PROP_NAME = "moq.relay.quic.datagram.recv.queue";
    /** 1024: a few hundred ms of audio/video objects sent as datagrams. */
    public static final int QUIC_DATAGRAM_RECV_QUEUE_DEFAULT = 1024;

    /** QUIC DATAGRAM frames queued for sending; when full, further datagrams are dropped (they are unreliable). */
    public static final String QUIC_DATAGRAM_SEND_QUEUE_PROP_NAME = "moq.relay.quic.datagram.send.queue";
    /** 1024: as for the receive queue. */
    public static final int QUIC_DATAGRAM_SEND_QUEUE_DEFAULT = 1024;

    /** Send with UDP GSO (one syscall for several packets) when the kernel and epoll support it. */
    public static final String QUIC_GSO_PROP_NAME = "moq.relay.quic.gso";
    /** true: GSO is the main epoll gain for QUIC senders. */
    public static final boolean QUIC_GSO_DEFAULT = true;

    /** Packets per GSO send. */
    public static final String QUIC_GSO_SEGMENTS_PROP_NAME = "moq.relay.quic.gso.segments";
    /** 10: netty's own example; the kernel limit is 64. */
    public static final int QUIC_GSO_SEGMENTS_DEFAULT = 10;

    /** Receive with UDP GRO (the kernel coalesces packets of one flow) on epoll. */
    public static final String QUIC_GRO_PROP_NAME = "moq.relay.quic.gro";
    /** true: with a 64 KiB receive buffer it more than doubled loopback throughput from GSO senders. */
    public static final boolean QUIC_GRO_DEFAULT = true;

    /**
     * Directory where quiche writes a qlog trace (JSON-SEQ, one {@code .sqlog} file per QUIC connection) of every
     * packet and frame sent and received, for diagnosing transport credit and loss (perf/qlog-credit.py summarises the
     * frames a peer blocked on: STREAMS_BLOCKED, DATA_BLOCKED, STREAM_DATA_BLOCKED, and the MAX_* credit the relay
     * sent). Costs a file write per packet: diagnosis only.
     */
    public static final String QUIC_QLOG_DIR_PROP_NAME = "moq.relay.quic.qlog.dir";
    /** Unset: no qlog. */
    public static final String QUIC_QLOG_DIR_DEFAULT = "";

    /**
     * Size of the fixed receive buffer per UDP read; must hold a whole GRO batch, else coalesced packets are
     * truncated and lost.
     */
    public static final String UDP_RECEIVE_ALLOCATION_PROP_NAME = "moq.relay.udp.receive.allocation";
    /** 64 KiB: the largest GRO batch (one UDP datagram's maximum). */
    public static final int UDP_RECEIVE_ALLOCATION_DEFAULT = 65536;

    /** Kernel socket receive buffer (SO_RCVBUF); 0 keeps the OS default. The kernel caps it at rmem_max. */
    public static final String UDP_SO_RCVBUF_PROP_NAME = "moq.relay.udp.so.rcvbuf";
    /** 4 MiB: absorbs bursts of ingest from many publishers between event-loop reads. */
    public static final int UDP_SO_RCVBUF_DEFAULT = 4 << 20;

    /** Kernel socket send buffer (SO_SNDBUF); 0 keeps the OS default. The kernel caps it at wmem_max. */
    public static final String UDP_SO_SNDBUF_PROP_NAME = "moq.relay.udp.so.sndbuf";
    /** 4 MiB: fan-out sends bursts to many subscribers at once. */
    public static final int UDP_SO_SNDBUF_DEFAULT = 4 << 20;

    /** PEM file with the server certificate chain, leaf first. Unset: a generated self-signed certificate. */
    public static final String TLS_CERT_FILE_PROP_NAME = "moq.relay.tls.cert.file";
    /** Unset (empty). */
    public static final String TLS_CERT_FILE_DEFAULT = "";

    /** PEM file with the private key of the certificate: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted. */
    public static final String TLS_KEY_FILE_PROP_NAME = "moq.relay.tls.key.file";
    /** Unset (empty); required when the certificate file is set. */
    public static final String TLS_KEY_FILE_DEFAULT = "";

    /** Directory that holds the generated self-signed certificate and key, reused across restarts. */
    public static final String TLS_CERT_DIR_PROP_NAME = "moq.relay.tls.cert.dir";
    /** certs, relative to the working directory. */
    public static final String TLS_CERT_DIR_DEFAULT = "certs";

    /** DNS names and IP addresses in the generated certificate's subjectAltName (browsers require a match). */
    public static final String TLS_SELF_SIGNED_HOSTS_PROP_NAME = "moq.relay.tls.self.signed.hosts";
    /** Local development: localhost and both loopback addresses. */
    public static final String TLS_SELF_SIGNED_HOSTS_DEFAULT = "localhost,127.0.0.1,::1";

    /** Validity of a generated certificate; at most 14 days, as WebTransport serverCertificateHashes requires. */
    public static final String TLS_SELF_SIGNED_VALIDITY_PROP_NAME = "moq.relay.tls.self.signed.validity";
    /** 13 days: under the 14-day browser limit with a day to spare for clock skew. */
    public static final Duration TLS_SELF_SIGNED_VALIDITY_DEFAULT = Duration.ofDays(13);

    /** A generated certificate with less validity left than this is replaced at start-up. */
    public static final String TLS_SELF_SIGNED_RENEW_BEFORE_PROP_NAME = "moq.relay.tls.self.signed.renew.before";
    /** 1 day: a relay restarted daily never serves an expired certificate. */
    public static final Duration TLS_SELF_SIGNED_RENEW_BEFORE_DEFAULT = Duration.ofDays(1);

    /** On shutdown, how long sessions get after GOAWAY to move away before the relay closes them. */
    public static final String SHUTDOWN_DRAIN_TIMEOUT_PROP_NAME = "moq.relay.shutdown.drain.timeout";
    /** 10s: enough for clients to reconnect elsewhere, within a typical 30s orchestrator kill grace period. */
    public static final Duration SHUTDOWN_DRAIN_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

    /**
     * How long the relay warms its JIT at start-up: right after it has bound its port, before {@code /ready} answers
     * 200, it runs publisher/subscriber pairs of every raw-QUIC protocol it offers (drafts 18, 20 and 14, moq-lite)
     * and of draft 14 and moq-lite over WebTransport (when it offers h3; moq-lite's publisher over WebTransport too,
     * as the browser call page publishes) through a throwaway relay of its own on a loopback port, so that the receive and forward paths are compiled
     * before the first real call instead of during it (a cold relay added most of a second to a browser call's first
     * frames on a busy 2-core box). Nothing of it is visible: the throwaway relay has its own engine, port, sessions
     * and metrics. Sessions arriving meanwhile are served. Its MoQT and moq-lite pairs open with a few large objects
     * (1-2 MiB, one above {@link #STORE_MAX_OBJECT_BYTES_PROP_NAME}), and it runs past the duration until those have
     * gone through, at most 10 s more. 0s turns it off.
     */
    public static final String WARMUP_DURATION_PROP_NAME = "moq.relay.warmup.duration";
    /** 3s: enough traffic for C2 to compile the hot paths on a 2-core box; a relay restart seldom waits for more. */
    public static final Duration WARMUP_DURATION_DEFAULT = Duration.ofSeconds(3);

    /**
     * Development mode: the relay also serves HTTP and HTTPS (with its certificate) on TCP at the same port number
     * as its UDP port, with {@code /fingerprint} (the certificate's SHA-256 in hex, for WebTransport's
     * {@code serverCertificateHashes}), {@code /announced/PREFIX} (the published namespaces under a prefix) and a
     * chat demo page at {@code /} that talks MoQT to the relay from the browser. {@code serve --dev} sets it.
     */
    public static final String DEV_PROP_NAME = "moq.relay.dev";
    /** false: a production relay opens no TCP port and serves no pages. */
    public static final boolean DEV_DEFAULT = false;

    /**
     * TCP port of the admin HTTP listener: {@code /metrics} (Prometheus text format), {@code /health} (the process is
     * up) and {@code /ready} (listening and not draining). Unset: no listener. 0 picks an ephemeral port (tests).
     */
    public static final String ADMIN_PORT_PROP_NAME = "moq.relay.admin.port";
    /** Unset (off): a relay opens no TCP port unless asked to. */
    public static final String ADMIN_PORT_DEFAULT = "";

    /**
     * Address the admin listener binds. Metrics reveal what the relay carries (namespaces are not in them, counts
     * are), so it is loopback unless an operator exposes it, e.g. 0.0.0.0 for a Prometheus on another host.
     */
    public static final String ADMIN_ADDRESS_PROP_NAME = "moq.relay.admin.address";
    /** Loopback: only local scrapers and probes. */
    public static final String ADMIN_ADDRESS_DEFAULT = "127.0.0.1";

    // ---- WebTransport ----

    /**
     * Request path (the CONNECT {@code :path}) that accepts WebTransport sessions, with the sub-paths below it (the
     * session's connection path, which narrows its authorization token: docs/auth.md); any other path gets 404.
     */
    public static final String WEBTRANSPORT_PATH_PROP_NAME = "moq.relay.webtransport.path";
    /** /moq: the path MoQT clients and demos conventionally connect to. */
    public static final String WEBTRANSPORT_PATH_DEFAULT = "/moq";

    /**
     * Origins (scheme://host[:port], as browsers send them in {@code origin}) allowed to open sessions; {@code *}
     * allows every origin, and requests without an origin (non-browser clients) are always allowed. Others get 403.
     */
    public static final String WEBTRANSPORT_ALLOWED_ORIGINS_PROP_NAME = "moq.relay.webtransport.allowed.origins";
    /** *: a public relay serves pages from any site; restrict it for private deployments. */
    public static final String WEBTRANSPORT_ALLOWED_ORIGINS_DEFAULT = "*";

    /**
     * The relay's WebTransport application protocols ({@code wt-protocol}), most preferred first: the first one the
     * client offers in {@code wt-available-protocols} is chosen. None offered: no {@code wt-protocol} is answered
     * and the MoQT SETUP exchange negotiates the version.
     */
    public static final String WEBTRANSPORT_PROTOCOLS_PROP_NAME = "moq.relay.webtransport.protocols";
    /**
     * moq-lite first, as the moq-dev browser libraries prefer it (they offer {@code moq-lite-05/04/03} before
     * {@code moqt-*}; with moq-lite they measure the round trip and join at group boundaries): lite-05 (its SETUP is what
     * makes {@code @moq/net} open its Probe Stream), lite-04 (PROBE with RTT), lite-03, then moqt-18 (the interop
     * runner's target) before moqt-20. Clients that offer
     * only {@code moqt-*} get it; draft-14 clients offer none and fall back to CLIENT_SETUP negotiation. Set
     * {@code moqt-18} alone to keep browsers on MoQT. moq-lite sessions enforce {@code moq.relay.auth.*} as the MoQT
     * ones do (the URL's {@code ?jwt=}, docs/moq-lite.md).
     */
    public static final String WEBTRANSPORT_PROTOCOLS_DEFAULT = "moq-lite-05,moq-lite-04,moq-lite-03,moqt-18,moqt-20";

    /** WebTransport sessions one HTTP/3 connection may have open at once (also advertised in SETTINGS). */
    public static final String WEBTRANSPORT_MAX_SESSIONS_PROP_NAME = "moq.relay.webtransport.max.sessions";
    /** 16: browsers open one session per connection; pooling clients get headroom without unbounded state. */
    public static final int WEBTRANSPORT_MAX_SESSIONS_DEFAULT = 16;

    /**
     * WebTransport streams per connection held while their session's CONNECT has not arrived yet; beyond it a
     * stream is reset with WT_BUFFERED_STREAM_REJECTED.
     */
    public static final String WEBTRANSPORT_MAX_BUFFERED_STREAMS_PROP_NAME =
        "moq.relay.webtransport.max.buffered.streams";
    /** 32: covers a client's first flight (control stream plus a few data streams) on a reordered path. */
    public static final int WEBTRANSPORT_MAX_BUFFERED_STREAMS_DEFAULT = 32;

    /** Datagrams per connection held while their session's CONNECT has not arrived yet; beyond it they are dropped. */
    public static final String WEBTRANSPORT_MAX_BUFFERED_DATAGRAMS_PROP_NAME =
        "moq.relay.webtransport.max.buffered.datagrams";
    /** 64: a few frames of early media; datagrams are unreliable, so dropping more costs little. */
    public static final int WEBTRANSPORT_MAX_BUFFERED_DATAGRAMS_DEFAULT = 64;

    /** Largest capsule accepted on a CONNECT stream; a larger one closes that session with H3_EXCESSIVE_LOAD. */
    public static final String WEBTRANSPORT_MAX_CAPSULE_SIZE_PROP_NAME = "moq.relay.webtransport.max.capsule.size";
    /** 64 KiB: WT_CLOSE_SESSION needs at most 1028 bytes; room for larger capsules of future drafts. */
    public static final int WEBTRANSPORT_MAX_CAPSULE_SIZE_DEFAULT = 65536;

    /**
     * Streams the relay asks to open per WebTransport session while the peer's stream credit is exhausted; they
     * open as credit arrives, by subscriber then publisher priority (a subgroup superseded by a newer group of its
     * subscription leaves the queue). At this bound the open the order would serve last fails (the new one unless it
     * ranks above a waiting one), and its subgroup is skipped.
     */
    public static final String WEBTRANSPORT_MAX_PENDING_STREAMS_PROP_NAME =
        "moq.relay.webtransport.max.pending.streams";
    /** 1024: a burst of subgroup streams across many tracks waits for MAX_STREAMS instead of failing. */
    public static final int WEBTRANSPORT_MAX_PENDING_STREAMS_DEFAULT = 1024;

    // ---- End of WebTransport ----

    // ---- Sessions ----

    /**
     * Streams a raw-QUIC MoQT session asks to open (subgroup, request) while the peer's stream credit is exhausted;
     * they open as MAX_STREAMS arrives, by subscriber then publisher priority (a subgroup superseded by a newer group
     * of its subscription leaves the queue). At this bound the open the order would serve last fails (the new one
     * unless it ranks above a waiting one), and its subgroup is skipped.
     */
    public static final String SESSION_MAX_PENDING_STREAMS_PROP_NAME = "moq.relay.session.max.pending.streams";
    /** 1024: a burst of subgroup streams across many subscriptions waits for MAX_STREAMS instead of failing. */
    public static final int SESSION_MAX_PENDING_STREAMS_DEFAULT = 1024;

    /**
     * Streams one session (raw QUIC or WebTransport) may start reading per event-loop turn: the streams of a burst
     * beyond it (a publisher opening hundreds of subgroup streams at once, a client churning request streams) wait,
     * auto-read off and their bytes held by QUIC flow control, and start this many at a time from a task that the event
     * loop runs after its next I/O, so other connections on the loop are served between two slices of the burst. A
     * WebTransport stream counts once its stream header named its session (each session of a connection has its own
     * bound). 0 starts every stream at once.
     */
    public static final String SESSION_STREAM_STARTS_PER_TURN_PROP_NAME = "moq.relay.session.stream.starts.per.turn";
    /** 32: a normal session opens a few streams per turn; a slice of 32 costs well under a millisecond. */
    public static final int SESSION_STREAM_STARTS_PER_TURN_DEFAULT = 32;

    /**
     * Draft-18 request streams a peer may open before its SETUP arrived; their requests wait for it, and one more
     * stream closes the session with PROTOCOL_VIOLATION.
     */
    public static final String SESSION_MAX_EARLY_STREAMS_PROP_NAME = "moq.relay.session.max.early.streams";
    /** 16: a client pipelining its first requests behind SETUP needs a few; a flood needs none. */
    public static final int SESSION_MAX_EARLY_STREAMS_DEFAULT = 16;

    /**
     * Draft-14 request-ID window: the relay grants MAX_REQUEST_ID this many requests ahead of the peer's use and
     * extends it as requests arrive.
     */
    public static final String SESSION_REQUEST_WINDOW_PROP_NAME = "moq.relay.session.request.window";
    /** 100 requests: enough for a client subscribing to many tracks at once, small enough to bound a flood. */
    public static final int SESSION_REQUEST_WINDOW_DEFAULT = 100;

    /** Largest Object Properties block (bytes) accepted on a publisher's data stream; larger is a session error. */
    public static final String SESSION_MAX_OBJECT_PROPERTIES_PROP_NAME = "moq.relay.session.max.object.properties";
    /** 64 KiB: properties are small metadata; this bounds what the decoder buffers per stream. */
    public static final int SESSION_MAX_OBJECT_PROPERTIES_DEFAULT = 65536;

    /**
     * How long an upstream PUBLISH_DONE waits for the data streams it counts before it stops waiting for those that
     * have not started (a stream reset before its header arrived is never seen, so the count may not be reached). A
     * stream that started is read to its end whatever the grace (draft-18 §PUBLISH_DONE: its data is late, not lost).
     */
    public static final String SESSION_PUBLISH_DONE_GRACE_PROP_NAME = "moq.relay.session.publish.done.grace";
    /** 2 s: data streams trail PUBLISH_DONE by a round trip at most on a healthy path. */
    public static final Duration SESSION_PUBLISH_DONE_GRACE_DEFAULT = Duration.ofSeconds(2);

    /**
     * How long a publisher's subgroup stream whose Track Alias is not yet known waits for the control message that
     * establishes it (a SUBSCRIBE_OK or PUBLISH read later than the stream's first bytes). While it waits the relay
     * withholds the stream's flow control (draft-18 §"Subgroup Header"); afterwards the stream is discarded.
     */
    public static final String SESSION_UNKNOWN_ALIAS_WAIT_PROP_NAME = "moq.relay.session.unknown.alias.wait";
    /** 1 s: the control message trails its first data stream by about a round trip at worst. */
    public static final Duration SESSION_UNKNOWN_ALIAS_WAIT_DEFAULT = Duration.ofSeconds(1);

    /** Subgroup streams of one session that may wait for their Track Alias at once; more are discarded at once. */
    public static final String SESSION_MAX_UNKNOWN_ALIAS_STREAMS_PROP_NAME =
        "moq.relay.session.max.unknown.alias.streams";
    /** 64: one group's subgroups across a few tracks; each holds at most one read's worth of bytes. */
    public static final int SESSION_MAX_UNKNOWN_ALIAS_STREAMS_DEFAULT = 64;

    /**
     * Bytes one session's publisher streams may hold before their objects enter the track's log: payloads gathered for
     * objects that span reads and decoders' scratch for headers split across reads; a stream that would exceed it is
     * abandoned (stopped with STOP_SENDING, its subgroup reset downstream with EXCESSIVE_LOAD). All sessions together
     * are bounded by {@link #INGEST_MAX_BUFFERED_BYTES_PROP_NAME}.
     */
    public static final String SESSION_MAX_GATHERED_BYTES_PROP_NAME = "moq.relay.session.max.gathered.bytes";
    /** 32 MiB: a few concurrent subgroups of large key frames; a peer cannot make the relay hold more. */
    public static final long SESSION_MAX_GATHERED_BYTES_DEFAULT = 32L << 20;

    /**
     * Paths a raw-QUIC client may name in its SETUP's PATH (the moqt URI's path, query ignored), comma-separated; a
     * client naming another is closed with INVALID_PATH. A SETUP without PATH counts as {@code /}. Unset: any path.
     */
    public static final String SESSION_PATHS_PROP_NAME = "moq.relay.session.paths";
    /** Unset: one relay serves every path, as moq-dev's relay does (paths then only scope nothing). */
    public static final String SESSION_PATHS_DEFAULT = "";

    /**
     * Authorities (host or host:port, case-insensitive; a host alone allows any port) a raw-QUIC client may name in its
     * SETUP's AUTHORITY, comma-separated; another is closed with INVALID_AUTHORITY. Unset: any authority.
     */
    public static final String SESSION_AUTHORITIES_PROP_NAME = "moq.relay.session.authorities";
    /** Unset: the relay answers for whatever name reached it. */
    public static final String SESSION_AUTHORITIES_DEFAULT = "";

    // ---- End of Sessions ----

    // ---- Limits against a misbehaving peer (draft-englishm-moq-relay-dos; see docs/hardening.md) ----

    /**
     * How long a connection may take, from its QUIC handshake, to complete MoQT SETUP (raw QUIC: the peer's SETUP or
     * CLIENT_SETUP, and, with authorization on, a moq-lite-05 peer's SETUP, whose Path carries its token; WebTransport:
     * the CONNECT, then the MoQT SETUP of each session within this time of its CONNECT).
     * A session that has not is closed with CONTROL_MESSAGE_TIMEOUT (0x11); an HTTP/3 connection that opened no
     * WebTransport session with H3_NO_ERROR. Without it a peer trickling a partial SETUP holds a session for as long
     * as the QUIC idle timeout keeps resetting.
     */
    public static final String SESSION_SETUP_TIMEOUT_PROP_NAME = "moq.relay.session.setup.timeout";
    /** 5 s: a real client sends SETUP in its first flight, one round trip after the handshake. */
    public static final Duration SESSION_SETUP_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

    /**
     * QUIC connections (including ones still in their handshake) the relay holds at once from one IP address; one
     * more is dropped at its first Initial packet, before any handshake, and answered with a stateless
     * CONNECTION_REFUSED (0x2) within {@link #REFUSED_INITIAL_CLOSES_PROP_NAME}'s rate, or, when it raced past that
     * check on another event loop, refused during its handshake with CONNECTION_REFUSED.
     */
    public static final String MAX_CONNECTIONS_PER_ADDRESS_PROP_NAME = "moq.relay.max.connections.per.address";
    /**
     * 256: viewers behind one office or carrier-grade NAT share an address, so the cap stays well above one household;
     * it still keeps a single host to a fortieth of the relay-wide bound.
     */
    public static final int MAX_CONNECTIONS_PER_ADDRESS_DEFAULT = 256;

    /**
     * QUIC connections (including ones still in their handshake) the relay holds at once; one more is dropped at its
     * first Initial packet as for {@link #MAX_CONNECTIONS_PER_ADDRESS_PROP_NAME}.
     */
    public static final String MAX_CONNECTIONS_PROP_NAME = "moq.relay.max.connections";
    /** 10,000: what one relay process serves comfortably; each connection costs quiche state and buffers. */
    public static final int MAX_CONNECTIONS_DEFAULT = 10_000;

    /**
     * Initial packets dropped for a connection cap that the relay answers, relay-wide per second (bursts of as many):
     * a stateless CONNECTION_CLOSE with CONNECTION_REFUSED (0x2) in the Initial space, built without a connection
     * or a TLS handshake, so the client fails at once instead of at its handshake timeout. Beyond the rate (a flood)
     * the Initials are dropped unanswered; 0 answers none.
     */
    public static final String REFUSED_INITIAL_CLOSES_PROP_NAME = "moq.relay.refused.initial.closes.per.second";
    /** 1,000: each costs a key derivation and a datagram smaller than the Initial it answers (well under a core). */
    public static final int REFUSED_INITIAL_CLOSES_DEFAULT = 1_000;

    /**
     * moq-lite: broadcasts one moq-lite publisher session may have published at once (beyond: the rest are not
     * published, logged), and ANNOUNCEs one Announce Stream keeps active toward a moq-lite subscriber (beyond: the
     * rest are not sent). Bounds the per-session state a peer's announcements can grow.
     */
    public static final String LITE_MAX_BROADCASTS_PROP_NAME = "moq.relay.lite.max.broadcasts";
    /** 1,024: far above what a call or a stream uses. */
    public static final int LITE_MAX_BROADCASTS_DEFAULT = 1024;

    /**
     * Bytes one session may hold of control and request streams' partial messages (a message is buffered until its
     * last byte arrives; the buffers grow with the bytes received). Beyond it the session is closed with
     * INTERNAL_ERROR (0x1): neither draft has a session-level EXCESSIVE_LOAD.
     */
    public static final String SESSION_MAX_CONTROL_BYTES_PROP_NAME = "moq.relay.session.max.control.bytes";
    /** 256 KiB: four maximum-size (64 KiB) messages in flight at once; real control messages are far smaller. */
    public static final long SESSION_MAX_CONTROL_BYTES_DEFAULT = 256L << 10;

    /**
     * Bytes all sessions together may hold of partial control and request messages; a session whose buffers would
     * grow past it is closed with INTERNAL_ERROR (0x1), as for the per-session bound.
     */
    public static final String MAX_CONTROL_BYTES_PROP_NAME = "moq.relay.max.control.bytes";
    /** 64 MiB: 256 sessions at their own bound before the heap is at risk. */
    public static final long MAX_CONTROL_BYTES_DEFAULT = 64L << 20;

    /**
     * Share (percent of {@link #MAX_TRACKS_PROP_NAME}) of the relay's tracks one session may have created and that
     * still exist (published, subscribed through it, or idle in the cache after it left them); beyond it the request
     * that would create a track is refused with EXCESSIVE_LOAD (draft-18 REQUEST_ERROR 0x9; draft-14, which has no
     * such code, SUBSCRIBE_ERROR / PUBLISH_ERROR INTERNAL_ERROR), so one client cannot take every track slot.
     */
    public static final String SESSION_MAX_TRACKS_PERCENT_PROP_NAME = "moq.relay.session.max.tracks.percent";
    /** 25 %: four sessions at their share fill the relay; a single flood leaves three quarters for everyone else. */
    public static final int SESSION_MAX_TRACKS_PERCENT_DEFAULT = 25;

    /**
     * New requests (SUBSCRIBE, FETCH, PUBLISH, PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE, SUBSCRIBE_TRACKS, TRACK_STATUS)
     * one session may make per second, sustained: a token bucket of {@link #SESSION_REQUEST_BURST_PROP_NAME} tokens
     * refilled at this rate (DoS draft §4.2, rapid request cycles: subscribe/cancel churn costs the relay state set-up
     * and tear-down each time). A request without a token is refused with EXCESSIVE_LOAD (draft-18 REQUEST_ERROR 0x9;
     * draft-14 SUBSCRIBE_ERROR / PUBLISH_ERROR INTERNAL_ERROR); a session refused a whole burst's worth of requests
     * before its bucket filled up again is closed with INTERNAL_ERROR (0x1).
     */
    public static final String SESSION_MAX_REQUEST_RATE_PROP_NAME = "moq.relay.session.max.request.rate";
    /** 200/s: a client (re)subscribing to a whole catalogue, or a page reload, stays far below it. */
    public static final int SESSION_MAX_REQUEST_RATE_DEFAULT = 200;

    /** Requests a session may make at once above {@link #SESSION_MAX_REQUEST_RATE_PROP_NAME} (the bucket's size). */
    public static final String SESSION_REQUEST_BURST_PROP_NAME = "moq.relay.session.request.burst";
    /** 1,000: a session may open that many requests at once (its start) before the rate applies. */
    public static final int SESSION_REQUEST_BURST_DEFAULT = 1_000;

    // ---- End of limits ----

    // ---- Authorization (docs/auth.md) ----

    /**
     * Whether sessions and requests need a valid token (JWT with moq-dev's {@code root}/{@code put}/{@code get} claims,
     * or a Common Access Token) unless they stay within the anonymous prefixes. Off: anyone reaching the relay may
     * publish and subscribe anything.
     */
    public static final String AUTH_ENABLED_PROP_NAME = "moq.relay.auth.enabled";
    /** Off, so that a relay runs out of the box; turn it on for anything reachable from the internet. */
    public static final boolean AUTH_ENABLED_DEFAULT = false;

    /**
     * Files holding the verification keys, comma-separated: each a JWK or a JWK set (as the {@code token generate}
     * command writes them). Tokens pick a key by {@code kid}; with a single key, tokens without {@code kid} use it.
     */
    public static final String AUTH_KEYS_PROP_NAME = "moq.relay.auth.keys";
    /** No keys: only the anonymous prefixes are reachable. */
    public static final String AUTH_KEYS_DEFAULT = "";

    /**
     * Path prefixes (namespaces joined with {@code /}) anyone may subscribe to and discover without a token,
     * comma-separated; an empty entry is not allowed (it would open everything).
     */
    public static final String AUTH_PUBLIC_GET_PROP_NAME = "moq.relay.auth.public.get";
    /** None: with authorization on, every subscription needs a token. */
    public static final String AUTH_PUBLIC_GET_DEFAULT = "";

    /** Path prefixes anyone may publish below without a token, comma-separated. */
    public static final String AUTH_PUBLIC_PUT_PROP_NAME = "moq.relay.auth.public.put";
    /** None: with authorization on, every publisher needs a token. */
    public static final String AUTH_PUBLIC_PUT_DEFAULT = "";

    /**
     * Longest token accepted, in bytes (JWT text or CAT CBOR); a longer one is refused with MALFORMED_AUTH_TOKEN
     * before any parsing, so an oversized token costs nothing but its bytes on the wire.
     */
    public static final String AUTH_MAX_TOKEN_BYTES_PROP_NAME = "moq.relay.auth.max.token.bytes";
    /** 4 KiB: an ES256 JWT with a handful of paths is 300-600 bytes, an RS256 one under 1 KiB. */
    public static final int AUTH_MAX_TOKEN_BYTES_DEFAULT = 4096;

    /**
     * MAX_AUTH_TOKEN_CACHE_SIZE the relay advertises in SETUP: bytes of registered token aliases one session may hold
     * (16 bytes plus the token each, as the drafts count); past it, a REGISTER closes the session with
     * AUTH_TOKEN_CACHE_OVERFLOW. 0 prohibits aliases.
     */
    public static final String AUTH_TOKEN_CACHE_BYTES_PROP_NAME = "moq.relay.auth.token.cache.bytes";
    /** 16 KiB: a few dozen aliases of typical tokens, per session. */
    public static final long AUTH_TOKEN_CACHE_BYTES_DEFAULT = 16L << 10;

    // ---- End of authorization ----

    /** Congestion controllers quiche offers. */
    public enum CongestionControl
    {
        RENO,
        CUBIC,
        BBR
    }

    /** The leak detector level to run with: the property if given (checked), else {@link #NETTY_LEAK_DETECTION_DEFAULT}. */
    public String nettyLeakDetection()
    {
        return values.choice(NETTY_LEAK_DETECTION_PROP_NAME, NETTY_LEAK_DETECTION_DEFAULT,
            List.of("disabled", "simple", "advanced", "paranoid"));
    }

    /** The root log level logback.xml applies (checked here: logback takes a misspelt level for DEBUG). */
    public String logLevel()
    {
        return values.choice(LOG_LEVEL_PROP_NAME, LOG_LEVEL_DEFAULT,
            List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR"));
    }

    /** The level of the control message log ({@link #LOG_CONTROL_PROP_NAME}), checked as {@link #logLevel()}. */
    public String logControl()
    {
        return values.choice(LOG_CONTROL_PROP_NAME, LOG_CONTROL_DEFAULT,
            List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR"));
    }

    public int port()
    {
        return values.count(PORT_PROP_NAME, PORT_DEFAULT, 0, 65_535);
    }

    public String bindAddress()
    {
        return values.string(BIND_ADDRESS_PROP_NAME, BIND_ADDRESS_DEFAULT);
    }

    public int eventLoops()
    {
        final int loops = values.count(EVENT_LOOPS_PROP_NAME, EVENT_LOOPS_DEFAULT, 0, 1024);
        return loops == 0 ? Math.min(1024, Runtime.getRuntime().availableProcessors()) : loops;
    }

    public boolean epoll()
    {
        return values.bool(EPOLL_PROP_NAME, EPOLL_DEFAULT);
    }

    /** The offered ALPN protocols, most preferred first; never empty. */
    public List<String> alpn()
    {
        final List<String> protocols = values.list(ALPN_PROP_NAME, ALPN_DEFAULT);
        for (final String protocol : protocols)
        {
            if (protocol.length() > 255 || !protocol.chars().allMatch(c -> c > 0x20 && c < 0x7f))
            {
                throw new ConfigurationException(ALPN_PROP_NAME, String.join(",", protocols),
                    "\"" + protocol + "\" is not an ALPN token (printable ASCII, at most 255 characters)");
            }
        }
        if (protocols.isEmpty())
        {
            throw new ConfigurationException(ALPN_PROP_NAME, "", "list at least one protocol, e.g. " + ALPN_DEFAULT);
        }
        return protocols;
    }

    public Duration quicIdleTimeout()
    {
        return values.duration(QUIC_IDLE_TIMEOUT_PROP_NAME, QUIC_IDLE_TIMEOUT_DEFAULT, Duration.ofMillis(1));
    }

    public long quicInitialMaxData()
    {
        return values.size(QUIC_INITIAL_MAX_DATA_PROP_NAME, QUIC_INITIAL_MAX_DATA_DEFAULT, 0, MAX_VARINT);
    }

    public long quicInitialMaxStreamDataBidiLocal()
    {
        return values.size(QUIC_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL_PROP_NAME,
            QUIC_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL_DEFAULT, 0, MAX_VARINT);
    }

    public long quicInitialMaxStreamDataBidiRemote()
    {
        return values.size(QUIC_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE_PROP_NAME,
            QUIC_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE_DEFAULT, 0, MAX_VARINT);
    }

    public long quicInitialMaxStreamDataUni()
    {
        return values.size(QUIC_INITIAL_MAX_STREAM_DATA_UNI_PROP_NAME,
            QUIC_INITIAL_MAX_STREAM_DATA_UNI_DEFAULT, 0, MAX_VARINT);
    }

    public long quicInitialMaxStreamsBidi()
    {
        return values.longCount(QUIC_INITIAL_MAX_STREAMS_BIDI_PROP_NAME, QUIC_INITIAL_MAX_STREAMS_BIDI_DEFAULT,
            0, MAX_STREAMS);
    }

    public long quicInitialMaxStreamsUni()
    {
        return values.longCount(QUIC_INITIAL_MAX_STREAMS_UNI_PROP_NAME, QUIC_INITIAL_MAX_STREAMS_UNI_DEFAULT,
            0, MAX_STREAMS);
    }

    public CongestionControl quicCongestionControl()
    {
        return values.choice(QUIC_CONGESTION_CONTROL_PROP_NAME, CongestionControl.class,
            QUIC_CONGESTION_CONTROL_DEFAULT);
    }

    public int quicMaxSendUdpPayloadSize()
    {
        return (int)values.size(QUIC_MAX_SEND_UDP_PAYLOAD_PROP_NAME, QUIC_MAX_SEND_UDP_PAYLOAD_DEFAULT,
            1200, 65_527);
    }

    public int quicMaxRecvUdpPayloadSize()
    {
        return (int)values.size(QUIC_MAX_RECV_UDP_PAYLOAD_PROP_NAME, QUIC_MAX_RECV_UDP_PAYLOAD_DEFAULT,
            1200, 65_527);
    }

    public int quicDatagramRecvQueue()
    {
        return values.count(QUIC_DATAGRAM_RECV_QUEUE_PROP_NAME, QUIC_DATAGRAM_RECV_QUEUE_DEFAULT, 1, 1 << 20);
    }

    public int quicDatagramSendQueue()
    {
        return values.count(QUIC_DATAGRAM_SEND_QUEUE_PROP_NAME, QUIC_DATAGRAM_SEND_QUEUE_DEFAULT, 1, 1 << 20);
    }

    public boolean quicGso()
    {
        return values.bool(QUIC_GSO_PROP_NAME, QUIC_GSO_DEFAULT);
    }

    public int quicGsoSegments()
    {
        return values.count(QUIC_GSO_SEGMENTS_PROP_NAME, QUIC_GSO_SEGMENTS_DEFAULT, 1, 64);
    }

    public boolean quicGro()
    {
        return values.bool(QUIC_GRO_PROP_NAME, QUIC_GRO_DEFAULT);
    }

    /** The qlog directory, or empty for none. */
    public String quicQlogDir()
    {
        return values.string(QUIC_QLOG_DIR_PROP_NAME, QUIC_QLOG_DIR_DEFAULT);
    }

    public int udpReceiveAllocation()
    {
        return (int)values.size(UDP_RECEIVE_ALLOCATION_PROP_NAME, UDP_RECEIVE_ALLOCATION_DEFAULT, 1500, 65_536);
    }

    public int udpSoRcvbuf()
    {
        return (int)values.size(UDP_SO_RCVBUF_PROP_NAME, UDP_SO_RCVBUF_DEFAULT, 0, Integer.MAX_VALUE);
    }

    public int udpSoSndbuf()
    {
        return (int)values.size(UDP_SO_SNDBUF_PROP_NAME, UDP_SO_SNDBUF_DEFAULT, 0, Integer.MAX_VALUE);
    }

    /** The configured certificate chain file, or empty for a generated self-signed certificate. */
    public String tlsCertFile()
    {
        return values.string(TLS_CERT_FILE_PROP_NAME, TLS_CERT_FILE_DEFAULT);
    }

    public String tlsKeyFile()
    {
        return values.string(TLS_KEY_FILE_PROP_NAME, TLS_KEY_FILE_DEFAULT);
    }

    public String tlsCertDir()
    {
        final String dir = values.string(TLS_CERT_DIR_PROP_NAME, TLS_CERT_DIR_DEFAULT);
        if (dir.isEmpty())
        {
            throw new ConfigurationException(TLS_CERT_DIR_PROP_NAME, dir,
                "name a directory, e.g. " + TLS_CERT_DIR_DEFAULT);
        }
        return dir;
    }

    public List<String> tlsSelfSignedHosts()
    {
        final List<String> hosts = values.list(TLS_SELF_SIGNED_HOSTS_PROP_NAME, TLS_SELF_SIGNED_HOSTS_DEFAULT);
        if (hosts.isEmpty())
        {
            throw new ConfigurationException(TLS_SELF_SIGNED_HOSTS_PROP_NAME, "",
                "list at least one name, e.g. localhost");
        }
        return hosts;
    }

    public Duration tlsSelfSignedValidity()
    {
        final Duration validity = values.duration(TLS_SELF_SIGNED_VALIDITY_PROP_NAME,
            TLS_SELF_SIGNED_VALIDITY_DEFAULT, Duration.ofHours(2));
        if (validity.compareTo(Duration.ofDays(14)) > 0)
        {
            throw new ConfigurationException(TLS_SELF_SIGNED_VALIDITY_PROP_NAME,
                values.raw(TLS_SELF_SIGNED_VALIDITY_PROP_NAME),
                "browsers accept serverCertificateHashes only for certificates valid at most 14d; use e.g. 13d");
        }
        return validity;
    }

    public Duration tlsSelfSignedRenewBefore()
    {
        return values.duration(TLS_SELF_SIGNED_RENEW_BEFORE_PROP_NAME, TLS_SELF_SIGNED_RENEW_BEFORE_DEFAULT,
            Duration.ZERO);
    }

    public Duration shutdownDrainTimeout()
    {
        return values.duration(SHUTDOWN_DRAIN_TIMEOUT_PROP_NAME, SHUTDOWN_DRAIN_TIMEOUT_DEFAULT, Duration.ZERO);
    }

    /** The start-up warm-up's length ({@link #WARMUP_DURATION_PROP_NAME}): 0 (off) to 1 minute. */
    public Duration warmupDuration()
    {
        return values.duration(WARMUP_DURATION_PROP_NAME, WARMUP_DURATION_DEFAULT, Duration.ZERO,
            Duration.ofMinutes(1));
    }

    public boolean dev()
    {
        return values.bool(DEV_PROP_NAME, DEV_DEFAULT);
    }

    /** The admin listener's TCP port, or -1 when it is off (unset). */
    public int adminPort()
    {
        return values.string(ADMIN_PORT_PROP_NAME, ADMIN_PORT_DEFAULT).isEmpty() ? -1 :
            values.count(ADMIN_PORT_PROP_NAME, -1, 0, 65_535);
    }

    public String adminAddress()
    {
        return values.string(ADMIN_ADDRESS_PROP_NAME, ADMIN_ADDRESS_DEFAULT);
    }

    // ---- WebTransport accessors ----

    /** The WebTransport request path; starts with "/". */
    public String webTransportPath()
    {
        final String path = values.string(WEBTRANSPORT_PATH_PROP_NAME, WEBTRANSPORT_PATH_DEFAULT);
        if (!path.startsWith("/") || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f))
        {
            throw new ConfigurationException(WEBTRANSPORT_PATH_PROP_NAME, path, "write an absolute path such as " +
                WEBTRANSPORT_PATH_DEFAULT);
        }
        return path;
    }

    /** Allowed origins; a list containing "*" allows all. Never empty. */
    public List<String> webTransportAllowedOrigins()
    {
        final List<String> origins = values.list(WEBTRANSPORT_ALLOWED_ORIGINS_PROP_NAME,
            WEBTRANSPORT_ALLOWED_ORIGINS_DEFAULT);
        if (origins.isEmpty())
        {
            throw new ConfigurationException(WEBTRANSPORT_ALLOWED_ORIGINS_PROP_NAME, "",
                "list origins such as https://example.com, or * for any");
        }
        return origins;
    }

    /** Server-preferred WebTransport application protocols; may be empty (never answer wt-protocol). */
    public List<String> webTransportProtocols()
    {
        final List<String> protocols = values.list(WEBTRANSPORT_PROTOCOLS_PROP_NAME, WEBTRANSPORT_PROTOCOLS_DEFAULT);
        for (final String protocol : protocols)
        {
            if (protocol.length() > 255 || !protocol.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' &&
                c != '\\'))
            {
                throw new ConfigurationException(WEBTRANSPORT_PROTOCOLS_PROP_NAME, String.join(",", protocols),
                    "\"" + protocol + "\" is not a structured-field string (printable ASCII without \" or \\)");
            }
        }
        return protocols;
    }

    public int webTransportMaxSessions()
    {
        return values.count(WEBTRANSPORT_MAX_SESSIONS_PROP_NAME, WEBTRANSPORT_MAX_SESSIONS_DEFAULT, 1, 1 << 16);
    }

    public int webTransportMaxBufferedStreams()
    {
        return values.count(WEBTRANSPORT_MAX_BUFFERED_STREAMS_PROP_NAME, WEBTRANSPORT_MAX_BUFFERED_STREAMS_DEFAULT,
            0, 1 << 16);
    }

    public int webTransportMaxBufferedDatagrams()
    {
        return values.count(WEBTRANSPORT_MAX_BUFFERED_DATAGRAMS_PROP_NAME,
            WEBTRANSPORT_MAX_BUFFERED_DATAGRAMS_DEFAULT, 0, 1 << 16);
    }

    public int webTransportMaxCapsuleSize()
    {
        return (int)values.size(WEBTRANSPORT_MAX_CAPSULE_SIZE_PROP_NAME, WEBTRANSPORT_MAX_CAPSULE_SIZE_DEFAULT,
            1028, 16 << 20);
    }

    public int webTransportMaxPendingStreams()
    {
        return values.count(WEBTRANSPORT_MAX_PENDING_STREAMS_PROP_NAME, WEBTRANSPORT_MAX_PENDING_STREAMS_DEFAULT,
            0, 1 << 20);
    }

    // ---- End of WebTransport accessors ----

    // ---- Sessions accessors ----

    public int sessionMaxPendingStreams()
    {
        return values.count(SESSION_MAX_PENDING_STREAMS_PROP_NAME, SESSION_MAX_PENDING_STREAMS_DEFAULT, 0, 1 << 20);
    }

    public int sessionStreamStartsPerTurn()
    {
        return values.count(SESSION_STREAM_STARTS_PER_TURN_PROP_NAME, SESSION_STREAM_STARTS_PER_TURN_DEFAULT, 0,
            1 << 20);
    }

    public int sessionMaxEarlyStreams()
    {
        return values.count(SESSION_MAX_EARLY_STREAMS_PROP_NAME, SESSION_MAX_EARLY_STREAMS_DEFAULT, 0, 1 << 16);
    }

    public int sessionRequestWindow()
    {
        return values.count(SESSION_REQUEST_WINDOW_PROP_NAME, SESSION_REQUEST_WINDOW_DEFAULT, 1, 1 << 20);
    }

    public int sessionMaxObjectProperties()
    {
        return (int)values.size(SESSION_MAX_OBJECT_PROPERTIES_PROP_NAME, SESSION_MAX_OBJECT_PROPERTIES_DEFAULT, 0,
            16 << 20);
    }

    public long sessionMaxGatheredBytes()
    {
        return values.size(SESSION_MAX_GATHERED_BYTES_PROP_NAME, SESSION_MAX_GATHERED_BYTES_DEFAULT, 4096,
            Integer.MAX_VALUE);
    }

    /** Paths served to raw-QUIC clients; empty means any. */
    public List<String> sessionPaths()
    {
        final List<String> paths = values.list(SESSION_PATHS_PROP_NAME, SESSION_PATHS_DEFAULT);
        for (final String path : paths)
        {
            if (!path.startsWith("/"))
            {
                throw new ConfigurationException(SESSION_PATHS_PROP_NAME, path,
                    "list paths that start with /, such as /moq");
            }
        }
        return paths;
    }

    /** Authorities served to raw-QUIC clients, lower-cased; empty means any. */
    public List<String> sessionAuthorities()
    {
        return values.list(SESSION_AUTHORITIES_PROP_NAME, SESSION_AUTHORITIES_DEFAULT).stream()
            .map(a -> a.toLowerCase(java.util.Locale.ROOT)).toList();
    }

    public Duration sessionUnknownAliasWait()
    {
        return values.duration(SESSION_UNKNOWN_ALIAS_WAIT_PROP_NAME, SESSION_UNKNOWN_ALIAS_WAIT_DEFAULT, Duration.ZERO);
    }

    public int sessionMaxUnknownAliasStreams()
    {
        return values.count(SESSION_MAX_UNKNOWN_ALIAS_STREAMS_PROP_NAME, SESSION_MAX_UNKNOWN_ALIAS_STREAMS_DEFAULT, 0,
            1 << 16);
    }

    public Duration sessionPublishDoneGrace()
    {
        return values.duration(SESSION_PUBLISH_DONE_GRACE_PROP_NAME, SESSION_PUBLISH_DONE_GRACE_DEFAULT,
            Duration.ZERO);
    }

    // ---- End of Sessions accessors ----

    // ---- Limits accessors ----

    public Duration sessionSetupTimeout()
    {
        return values.duration(SESSION_SETUP_TIMEOUT_PROP_NAME, SESSION_SETUP_TIMEOUT_DEFAULT, Duration.ofMillis(1));
    }

    public int maxConnectionsPerAddress()
    {
        return values.count(MAX_CONNECTIONS_PER_ADDRESS_PROP_NAME, MAX_CONNECTIONS_PER_ADDRESS_DEFAULT, 1,
            Integer.MAX_VALUE);
    }

    public int maxConnections()
    {
        return values.count(MAX_CONNECTIONS_PROP_NAME, MAX_CONNECTIONS_DEFAULT, 1, Integer.MAX_VALUE);
    }

    public int refusedInitialClosesPerSecond()
    {
        return values.count(REFUSED_INITIAL_CLOSES_PROP_NAME, REFUSED_INITIAL_CLOSES_DEFAULT, 0, 1_000_000);
    }

    public int liteMaxBroadcasts()
    {
        return values.count(LITE_MAX_BROADCASTS_PROP_NAME, LITE_MAX_BROADCASTS_DEFAULT, 1, 1 << 20);
    }

    public long sessionMaxControlBytes()
    {
        return values.size(SESSION_MAX_CONTROL_BYTES_PROP_NAME, SESSION_MAX_CONTROL_BYTES_DEFAULT, 4096,
            Long.MAX_VALUE / 2);
    }

    public long maxControlBytes()
    {
        return values.size(MAX_CONTROL_BYTES_PROP_NAME, MAX_CONTROL_BYTES_DEFAULT, 4096, Long.MAX_VALUE / 2);
    }

    /** Tracks one session may have created: its percentage of {@link #maxTracks()}, at least one. */
    public int sessionMaxTracks()
    {
        final int percent = values.count(SESSION_MAX_TRACKS_PERCENT_PROP_NAME, SESSION_MAX_TRACKS_PERCENT_DEFAULT, 1,
            100);
        return (int)Math.max(1, (long)maxTracks * percent / 100);
    }

    /** Sustained new requests per second of one session (see {@link #SESSION_MAX_REQUEST_RATE_PROP_NAME}). */
    public int sessionMaxRequestRate()
    {
        return values.count(SESSION_MAX_REQUEST_RATE_PROP_NAME, SESSION_MAX_REQUEST_RATE_DEFAULT, 1, 1_000_000);
    }

    /** Requests one session may make at once before {@link #sessionMaxRequestRate()} applies. */
    public int sessionRequestBurst()
    {
        return values.count(SESSION_REQUEST_BURST_PROP_NAME, SESSION_REQUEST_BURST_DEFAULT, 1, 1_000_000);
    }

    // ---- End of limits accessors ----

    // ---- Cluster (docs/cluster.md): off unless a Redis URL or static upstreams are set ----

    /**
     * Redis that the relays of a cluster share to find each namespace's origin relay, e.g.
     * {@code redis://127.0.0.1:6379/0} (Lettuce URI syntax: {@code rediss://} for TLS, {@code redis://:password@host}).
     * Unset: no discovery.
     */
    public static final String CLUSTER_REDIS_URL_PROP_NAME = "moq.relay.cluster.redis.url";
    /** Unset (empty). */
    public static final String CLUSTER_REDIS_URL_DEFAULT = "";

    /**
     * The URL other relays reach this relay at, {@code moqt://host:port[/path]}, registered in Redis as the origin of
     * the namespaces published here. Unset: {@code moqt://BIND_ADDRESS:PORT} with the port the relay bound (with
     * {@code moq.relay.port=0}, the ephemeral one) and 127.0.0.1 for a wildcard bind address (only right for relays on
     * one host).
     */
    public static final String CLUSTER_ADVERTISED_URL_PROP_NAME = "moq.relay.cluster.advertised.url";
    /** Unset (empty): derived from the port. */
    public static final String CLUSTER_ADVERTISED_URL_DEFAULT = "";

    /**
     * How long a namespace registration lives in Redis unless refreshed; the relay refreshes it every third of
     * this, so a relay that dies (SIGKILL) stops being the origin of its namespaces within this time.
     */
    public static final String CLUSTER_TTL_PROP_NAME = "moq.relay.cluster.ttl";
    /** 3s: an origin that died is forgotten within 3 s; refreshed each second. */
    public static final Duration CLUSTER_TTL_DEFAULT = Duration.ofSeconds(3);

    /**
     * Comma-separated {@code moqt://host:port[/path]} URLs of upstream relays asked (over raw QUIC, draft 18; draft 14
     * for a URL ending in {@code ?draft=14}) for tracks whose namespace no local publisher or cluster origin serves;
     * for clusters without Redis.
     */
    public static final String CLUSTER_UPSTREAMS_PROP_NAME = "moq.relay.cluster.upstreams";
    /** None (empty). */
    public static final String CLUSTER_UPSTREAMS_DEFAULT = "";

    /**
     * How this relay checks the certificates of the relays it connects to: {@code system} (the JDK's trust store),
     * {@code insecure} (no check: development only), {@code sha256:HEX} (one certificate fingerprint) or a PEM file
     * path with the trusted certificate.
     */
    public static final String CLUSTER_PEER_TRUST_PROP_NAME = "moq.relay.cluster.peer.trust";
    /** system. */
    public static final String CLUSTER_PEER_TRUST_DEFAULT = "system";

    /**
     * Relay-to-relay hops a request may cross: a relay forwards a request that already crossed this many relays to no
     * peer (a relay on the request's path is never asked again whatever this is). 1 = every relay asks origins
     * directly (Redis); 2 and more allow chains of static upstreams (edge → mid-tier → origin).
     */
    public static final String CLUSTER_MAX_HOPS_PROP_NAME = "moq.relay.cluster.max.hops";
    /** 3: edge → mid-tier → origin, and one more. */
    public static final int CLUSTER_MAX_HOPS_DEFAULT = 3;
    /** The longest relay path a SETUP may name (moq.relay.cluster.PeerRelays keeps at most this many + 1). */
    private static final int PEER_PATH_LIMIT = 16;

    /**
     * How long a session this relay holds to a peer relay stays open once no request of this relay uses it (no
     * upstream subscription, FETCH, TRACK_STATUS or namespace/track subscription): then it is closed, and the next
     * request connects again. Bounds the per-path links another relay's requests make this relay open.
     */
    public static final String CLUSTER_LINK_IDLE_TIMEOUT_PROP_NAME = "moq.relay.cluster.link.idle.timeout";
    /** 30s: a link that a request is likely to reuse soon (a subscriber reloading a page) stays up. */
    public static final Duration CLUSTER_LINK_IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

    /**
     * Where this relay's sessions to peer relays run: {@code true}, on one of its own I/O event loops (the first), so
     * that an object arriving from a peer is ingested on the thread that also writes it to the subscribers of that
     * loop, with no hand-off to another thread; {@code false}, on a dedicated thread ({@code moq-cluster-peers}), whose
     * every object then wakes the subscribers' event loop to forward it (a thread of their own, for a relay with spare
     * cores whose peer links carry more than its first event loop should take on besides its sessions).
     */
    public static final String CLUSTER_LINKS_IO_LOOP_PROP_NAME = "moq.relay.cluster.links.io.loop";
    /**
     * true: the hand-off cost the most of a relay hop's added latency on a busy box (an extra thread wake-up per object,
     * each a chance to wait for a CPU); a relay with one event loop then forwards a peer's objects on one thread.
     */
    public static final boolean CLUSTER_LINKS_IO_LOOP_DEFAULT = true;

    /** See {@link #CLUSTER_LINKS_IO_LOOP_PROP_NAME}. */
    public boolean clusterLinksIoLoop()
    {
        return values.bool(CLUSTER_LINKS_IO_LOOP_PROP_NAME, CLUSTER_LINKS_IO_LOOP_DEFAULT);
    }

    /** Whether this relay takes part in a cluster (a Redis URL or static upstreams are set). */
    public boolean clusterEnabled()
    {
        return !clusterRedisUrl().isEmpty() || !clusterUpstreams().isEmpty();
    }

    /** See {@link #CLUSTER_LINK_IDLE_TIMEOUT_PROP_NAME}. */
    public Duration clusterLinkIdleTimeout()
    {
        return values.duration(CLUSTER_LINK_IDLE_TIMEOUT_PROP_NAME, CLUSTER_LINK_IDLE_TIMEOUT_DEFAULT,
            Duration.ofMillis(100), Duration.ofDays(1));
    }

    /** See {@link #CLUSTER_MAX_HOPS_PROP_NAME}. */
    public int clusterMaxHops()
    {
        return values.count(CLUSTER_MAX_HOPS_PROP_NAME, CLUSTER_MAX_HOPS_DEFAULT, 1, PEER_PATH_LIMIT);
    }

    /** See {@link #CLUSTER_REDIS_URL_PROP_NAME}. */
    public String clusterRedisUrl()
    {
        return values.string(CLUSTER_REDIS_URL_PROP_NAME, CLUSTER_REDIS_URL_DEFAULT);
    }

    /** See {@link #CLUSTER_ADVERTISED_URL_PROP_NAME}: empty when unset. */
    public String clusterAdvertisedUrl()
    {
        return values.string(CLUSTER_ADVERTISED_URL_PROP_NAME, CLUSTER_ADVERTISED_URL_DEFAULT);
    }

    /**
     * See {@link #CLUSTER_ADVERTISED_URL_PROP_NAME}; when unset, derived from {@code boundPort} (the UDP port the relay
     * listens on, which differs from {@link #port()} when that is 0) and the bind address.
     */
    public String clusterAdvertisedUrl(final int boundPort)
    {
        final String url = clusterAdvertisedUrl();
        if (!url.isEmpty())
        {
            return url;
        }
        final String bind = bindAddress();
        final boolean wildcard = bind.isEmpty() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
        final String host = wildcard ? "127.0.0.1" : bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" :
            bind;
        return "moqt://" + host + ":" + boundPort;
    }

    /** See {@link #CLUSTER_TTL_PROP_NAME}. */
    public Duration clusterTtl()
    {
        return values.duration(CLUSTER_TTL_PROP_NAME, CLUSTER_TTL_DEFAULT, Duration.ofMillis(300),
            Duration.ofHours(1));
    }

    /** See {@link #CLUSTER_UPSTREAMS_PROP_NAME}. */
    public List<String> clusterUpstreams()
    {
        return values.list(CLUSTER_UPSTREAMS_PROP_NAME, CLUSTER_UPSTREAMS_DEFAULT);
    }

    /** See {@link #CLUSTER_PEER_TRUST_PROP_NAME}. */
    public String clusterPeerTrust()
    {
        return values.string(CLUSTER_PEER_TRUST_PROP_NAME, CLUSTER_PEER_TRUST_DEFAULT);
    }

    // ---- Authorization accessors ----

    public boolean authEnabled()
    {
        return values.bool(AUTH_ENABLED_PROP_NAME, AUTH_ENABLED_DEFAULT);
    }

    /** The key files, in order. */
    public List<java.nio.file.Path> authKeys()
    {
        return values.list(AUTH_KEYS_PROP_NAME, AUTH_KEYS_DEFAULT).stream().map(java.nio.file.Path::of).toList();
    }

    public List<String> authPublicGet()
    {
        return publicPrefixes(AUTH_PUBLIC_GET_PROP_NAME, AUTH_PUBLIC_GET_DEFAULT);
    }

    public List<String> authPublicPut()
    {
        return publicPrefixes(AUTH_PUBLIC_PUT_PROP_NAME, AUTH_PUBLIC_PUT_DEFAULT);
    }

    private List<String> publicPrefixes(final String name, final String defaultValue)
    {
        final List<String> prefixes = values.list(name, defaultValue);
        for (final String prefix : prefixes)
        {
            if (prefix.replace("/", "").isBlank())
            {
                throw new ConfigurationException(name, prefix,
                    "list non-empty prefixes such as public/ (an empty one would open every namespace)");
            }
        }
        return prefixes;
    }

    public int authMaxTokenBytes()
    {
        return values.count(AUTH_MAX_TOKEN_BYTES_PROP_NAME, AUTH_MAX_TOKEN_BYTES_DEFAULT, 64, 1 << 20);
    }

    public long authTokenCacheBytes()
    {
        return values.size(AUTH_TOKEN_CACHE_BYTES_PROP_NAME, AUTH_TOKEN_CACHE_BYTES_DEFAULT, 0, 1 << 24);
    }

    // ---- End of authorization accessors ----

    // ---- Bounds ----

    /** Largest QUIC varint: the bound of every transport parameter. */
    private static final long MAX_VARINT = (1L << 62) - 1;
    /** RFC 9000 §4.6: a stream count cannot exceed 2^60. */
    private static final long MAX_STREAMS = 1L << 60;
}
