package moq.relay.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * Publishes the tracks of a fragmented MP4 as a hang broadcast (draft-lcurley-moq-hang), the way moq-dev's
 * publishers lay it out: a {@code catalog.json} track (one group per catalog, one object of JSON), a video track
 * {@code video/hd} with one group per keyframe (the keyframe object 0, the frames up to the next keyframe after
 * it) and an audio track {@code audio/data} with each frame its own group (a stream per frame, so a late or lost
 * frame never holds up the next). Each media object is a {@link HangFrame}. The first video and the first audio
 * track of the file are published; others are reported and left out.
 *
 * <p>The client's {@link TrackPublisher} only sends to subscribers present when a group opens, so the catalog is sent
 * again, as a new group, whenever the relay subscribes anew (checked every {@link #CATALOG_CHECK}). Video frames
 * before the first keyframe are dropped (a group must start with one).
 */
public final class HangPublisher implements AutoCloseable
{
    public static final String CATALOG_TRACK = "catalog.json";
    public static final String VIDEO_TRACK = "video/hd";
    public static final String AUDIO_TRACK = "audio/data";
    static final Duration CATALOG_CHECK = Duration.ofMillis(20);

    /** Publisher priorities (0 is the highest): catalog before audio before video, as the watcher ranks them. */
    private static final int CATALOG_PRIORITY = 0;
    private static final int AUDIO_PRIORITY = 1;
    private static final int VIDEO_PRIORITY = 2;

    private final TrackNamespace broadcast;
    private final PrintStream log;
    private final byte[] catalogJson;
    private final TrackPublisher catalog;
    private final Map<Integer, MediaTrack> media = new HashMap<>();
    private final ScheduledExecutorService catalogTimer;
    private long catalogGroup;
    private int catalogSubscribers;

    /** One published media track and where its groups stand. */
    private static final class MediaTrack
    {
        final Mp4Track source;
        final TrackPublisher publisher;
        SubgroupWriter group;
        long groupId = -1;
        long objectId;
        long frames;
        long dropped;

        MediaTrack(final Mp4Track source, final TrackPublisher publisher)
        {
            this.source = source;
            this.publisher = publisher;
        }
    }

    public HangPublisher(final MoqClient client, final TrackNamespace broadcast, final List<Mp4Track> tracks,
        final PrintStream log)
    {
        this.broadcast = broadcast;
        this.log = log;
        final Map<Integer, String> names = new HashMap<>();
        for (final Mp4Track t : tracks)
        {
            final String name = t.kind() == Mp4Track.Kind.VIDEO ? VIDEO_TRACK : AUDIO_TRACK;
            if (names.containsValue(name))
            {
                log.println("publish: track " + t.trackId() + " (" + t.codec() + ") left out: only the first " +
                    t.kind().name().toLowerCase(java.util.Locale.ROOT) + " track is published");
                continue;
            }
            names.put(t.trackId(), name);
            media.put(t.trackId(), new MediaTrack(t, client.track(broadcast, Bytes.utf8(name),
                t.kind() == Mp4Track.Kind.VIDEO ? VIDEO_PRIORITY : AUDIO_PRIORITY)));
        }
        if (media.isEmpty())
        {
            throw new IllegalArgumentException("the MP4 has no audio or video track");
        }
        catalogJson = HangCatalog.of(tracks, names).toJson();
        catalog = client.track(broadcast, Bytes.utf8(CATALOG_TRACK), CATALOG_PRIORITY);
        catalogTimer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "hang-catalog");
            t.setDaemon(true);
            return t;
        });
        catalogTimer.scheduleWithFixedDelay(this::sendCatalogToNewSubscribers, 0, CATALOG_CHECK.toMillis(),
            TimeUnit.MILLISECONDS);
    }

    public byte[] catalogJson()
    {
        return catalogJson.clone();
    }

    /** Waits until every media track has a subscriber; false if {@code timeout} passed first. */
    public boolean awaitSubscribers(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (media.values().stream().anyMatch(m -> m.publisher.subscriberCount() == 0))
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            LockSupport.parkNanos(5_000_000);
        }
        return true;
    }

    /**
     * Publishes a fragment's samples of the published tracks, pausing while more than {@code maxQueuedBytes} wait for
     * QUIC (which in turn stops reading the pipe, and so pauses ffmpeg).
     */
    public void send(final Fmp4Source.Fragment fragment, final long maxQueuedBytes)
    {
        for (final Sample s : fragment.samples())
        {
            final MediaTrack m = media.get(s.trackId());
            if (m == null)
            {
                continue;
            }
            while (m.publisher.queuedBytes() > maxQueuedBytes)
            {
                LockSupport.parkNanos(200_000);
            }
            final long micros = s.presentationMicros(m.source.timescale());
            if (m.source.kind() == Mp4Track.Kind.AUDIO)
            {
                final SubgroupWriter w = m.publisher.openSubgroup(++m.groupId, 0);
                w.write(0, frame(micros, fragment.mdat(), s));
                w.endGroup(1);
            }
            else
            {
                if (s.sync())
                {
                    if (m.group != null)
                    {
                        m.group.endGroup(m.objectId);
                    }
                    m.group = m.publisher.openSubgroup(++m.groupId, 0);
                    m.objectId = 0;
                }
                if (m.group == null)
                {
                    m.dropped++;
                    continue;
                }
                m.group.write(m.objectId++, frame(micros, fragment.mdat(), s));
            }
            m.frames++;
        }
    }

    /** Ends the open video group and every track (PUBLISH_DONE, TRACK_ENDED). */
    public void finish()
    {
        catalogTimer.shutdownNow();
        for (final MediaTrack m : media.values())
        {
            if (m.group != null)
            {
                m.group.endGroup(m.objectId);
                m.group = null;
            }
            m.publisher.finish(0x2, "track ended");
        }
        catalog.finish(0x2, "track ended");
    }

    /**
     * Waits until QUIC has taken every byte written (none waits for flow control any more), at most {@code timeout};
     * closing the session before that would lose the end of the broadcast.
     */
    public boolean awaitDrained(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (catalog.queuedBytes() > 0)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            LockSupport.parkNanos(5_000_000);
        }
        return true;
    }

    /** Frames sent per track name, and video frames dropped before the first keyframe. */
    public String summary()
    {
        final List<String> parts = new ArrayList<>();
        for (final MediaTrack m : media.values())
        {
            parts.add(m.publisher.name().utf8() + " " + m.source.codec() + ": " + m.frames + " frames" +
                (m.dropped > 0 ? " (" + m.dropped + " before the first keyframe dropped)" : ""));
        }
        return String.join(", ", parts);
    }

    /** Frames sent on the track of this kind. */
    public long frames(final Mp4Track.Kind kind)
    {
        return media.values().stream().filter(m -> m.source.kind() == kind).mapToLong(m -> m.frames).sum();
    }

    public TrackNamespace broadcast()
    {
        return broadcast;
    }

    @Override
    public void close()
    {
        catalogTimer.shutdownNow();
    }

    private static ByteBuf frame(final long micros, final byte[] mdat, final Sample s)
    {
        return HangFrame.encode(PooledByteBufAllocator.DEFAULT, micros, mdat, s.offset(), s.length());
    }

    private void sendCatalogToNewSubscribers()
    {
        final int now = catalog.subscriberCount();
        if (now > catalogSubscribers)
        {
            final SubgroupWriter w = catalog.openSubgroup(catalogGroup++, 0);
            w.write(0, Unpooled.wrappedBuffer(catalogJson));
            w.endGroup(1);
        }
        catalogSubscribers = now;
    }
}
