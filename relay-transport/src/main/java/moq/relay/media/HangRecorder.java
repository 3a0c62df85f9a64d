package moq.relay.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SessionClose;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;

/**
 * Records a hang broadcast into a fragmented MP4 ({@link Fmp4Muxer}): subscribes to {@code catalog.json}, writes the
 * init segment from the first catalog, then subscribes to its first video and first audio rendition and writes each
 * frame as it arrives; video frames in group order ({@link GroupOrder}: a group's stream can overtake the end of
 * the one before it). Video starts at the first group's start (a keyframe); frames of a group joined midway are
 * skipped. Done when every media track has ended (PUBLISH_DONE).
 *
 * <p>The catalog is subscribed from group 0 (AbsoluteStart 0/0) rather than the latest object: the relay may hold
 * the catalog in its cache from an earlier subscriber, and a catalog that never changes would otherwise not be
 * delivered (draft 18's LargestObject starts after the largest object). While the broadcast is not (yet) announced
 * the catalog SUBSCRIBE is retried. All callbacks run on the client's event loop; the muxer is guarded by this
 * object's monitor, since {@link #finish} runs on the caller's thread.
 */
public final class HangRecorder
{
    private static final Duration RETRY = Duration.ofMillis(250);
    /** How long after PUBLISH_DONE the track's remaining streams may take to end. */
    private static final Duration STREAMS_GRACE = Duration.ofSeconds(10);
    /** Video frames held back waiting for an earlier group to end: 10 s at 30 fps. */
    private static final int MAX_HELD_FRAMES = 300;

    /** One received frame: its hang timestamp and codec payload. */
    private record Frame(long micros, byte[] bytes)
    {
    }

    private final MoqClient client;
    private final TrackNamespace broadcast;
    private final OutputStream out;
    private final PrintStream log;
    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private final List<HangCatalog.Rendition> tracks = new ArrayList<>();
    private Fmp4Muxer muxer;
    private byte[] firstCatalog;
    private boolean[] started;
    private GroupOrder[] order;
    private boolean[] ended;
    /** Per track: streams PUBLISH_DONE announced (-1 before it), and groups whose End of Group arrived. */
    private long[] streamsAnnounced;
    private long[] groupsEnded;
    private long[] skipped;
    private int videoCount;

    public HangRecorder(final MoqClient client, final TrackNamespace broadcast, final OutputStream out,
        final PrintStream log)
    {
        this.client = client;
        this.broadcast = broadcast;
        this.out = out;
        this.log = log;
    }

    /**
     * Subscribes to the catalog, retrying for up to {@code wait} while the relay rejects it (the broadcast not there
     * yet). The result completes with 0 once every media track has ended, 1 on a failure (said on the log).
     */
    public CompletableFuture<Integer> start(final Duration wait)
    {
        subscribeCatalog(System.nanoTime() + wait.toNanos());
        client.closed().thenAccept(close -> done.complete(1));
        return done;
    }

    /** Writes what the muxer still holds and flushes the output. */
    public synchronized void finish() throws IOException
    {
        if (muxer != null)
        {
            for (final GroupOrder o : order)
            {
                if (o != null)
                {
                    o.flush();
                }
            }
            muxer.finish();
        }
        out.flush();
    }

    public synchronized String summary()
    {
        if (muxer == null)
        {
            return "no catalog received";
        }
        final List<String> parts = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++)
        {
            parts.add(tracks.get(i).track() + " " + tracks.get(i).codec() + ": " + muxer.written(i) + " frames" +
                (skipped[i] > 0 ? " (" + skipped[i] + " before the first group start skipped)" : ""));
        }
        return String.join(", ", parts);
    }

    private void subscribeCatalog(final long deadline)
    {
        client.subscribe(broadcast, Bytes.utf8(HangPublisher.CATALOG_TRACK),
            SubscribeOptions.of(Filter.absoluteStart(new Location(0, 0))), new SubscriptionListener()
            {
                @Override
                public void onObject(final ReceivedObject o)
                {
                    if (o.status() == ObjectStatus.NORMAL)
                    {
                        catalog(o.payloadBytes());
                    }
                }

                @Override
                public void onSessionClosed(final SessionClose close)
                {
                    fail("session " + close);
                }
            }).whenComplete((sub, error) ->
            {
                if (error == null)
                {
                    return;
                }
                final Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() :
                    error;
                if (cause instanceof RequestRejectedException && System.nanoTime() < deadline)
                {
                    CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> subscribeCatalog(deadline));
                }
                else
                {
                    fail("catalog of " + broadcast + ": " + cause.getMessage());
                }
            });
    }

    private synchronized void catalog(final byte[] json)
    {
        if (firstCatalog != null)
        {
            if (!Arrays.equals(json, firstCatalog))
            {
                log.println("subscribe: the catalog changed; the recording keeps the tracks of the first one");
            }
            return;
        }
        firstCatalog = json;
        try
        {
            final HangCatalog catalog = HangCatalog.parse(json);
            if (!catalog.video().isEmpty())
            {
                tracks.add(catalog.video().get(0));
                videoCount = 1;
            }
            if (!catalog.audio().isEmpty())
            {
                tracks.add(catalog.audio().get(0));
            }
            if (tracks.isEmpty())
            {
                fail("the catalog has no audio or video rendition in the legacy container");
                return;
            }
            muxer = new Fmp4Muxer(tracks, videoCount, out);
            muxer.writeInit();
        }
        catch (final IllegalArgumentException | IOException e)
        {
            fail(e.getMessage());
            return;
        }
        started = new boolean[tracks.size()];
        order = new GroupOrder[tracks.size()];
        for (int i = 0; i < videoCount; i++)
        {
            final int index = i;
            order[i] = new GroupOrder(MAX_HELD_FRAMES, (group, object, frame) -> write(index, object == 0,
                (Frame)frame));
        }
        ended = new boolean[tracks.size()];
        streamsAnnounced = new long[tracks.size()];
        java.util.Arrays.fill(streamsAnnounced, -1);
        groupsEnded = new long[tracks.size()];
        skipped = new long[tracks.size()];
        for (int i = 0; i < tracks.size(); i++)
        {
            subscribeMedia(i);
        }
    }

    private void subscribeMedia(final int index)
    {
        final String name = tracks.get(index).track();
        log.println("subscribe: " + name + " " + tracks.get(index).codec());
        client.subscribe(broadcast, Bytes.utf8(name), SubscribeOptions.LATEST, new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                if (o.status() == ObjectStatus.NORMAL)
                {
                    frame(index, o);
                }
                else if (o.status() == ObjectStatus.END_OF_GROUP)
                {
                    endOfGroup(index, o.groupId());
                }
            }

            @Override
            public void onPublishDone(final long statusCode, final long streamCount, final String reason)
            {
                publishDone(index, streamCount);
            }

            @Override
            public void onSessionClosed(final SessionClose close)
            {
                fail("session " + close);
            }
        }).whenComplete((sub, error) ->
        {
            if (error != null)
            {
                fail(name + ": " + error.getMessage());
            }
        });
    }

    private synchronized void frame(final int index, final ReceivedObject o)
    {
        final boolean video = index < videoCount;
        if (video && !started[index])
        {
            if (o.objectId() != 0)
            {
                skipped[index]++;
                return;
            }
            started[index] = true;
        }
        final ByteBuf payload = o.payload().duplicate();
        final long micros = HangFrame.readTimestamp(payload);
        if (micros < 0)
        {
            log.println("subscribe: " + tracks.get(index).track() + " object " + o.groupId() + "/" + o.objectId() +
                " has no hang timestamp; skipped");
            return;
        }
        final Frame frame = new Frame(micros, ByteBufUtil.getBytes(payload, payload.readerIndex(),
            payload.readableBytes()));
        if (video)
        {
            order[index].frame(o.groupId(), o.objectId(), frame);
        }
        else
        {
            write(index, true, frame);
        }
    }

    private synchronized void endOfGroup(final int index, final long groupId)
    {
        groupsEnded[index]++;
        if (streamsAnnounced[index] >= 0 && groupsEnded[index] >= streamsAnnounced[index])
        {
            ended(index);
        }
        if (order != null && order[index] != null)
        {
            order[index].endOfGroup(groupId);
        }
    }

    private void write(final int index, final boolean sync, final Frame frame)
    {
        try
        {
            muxer.add(index, frame.micros(), sync, frame.bytes());
        }
        catch (final IOException e)
        {
            fail("writing: " + e.getMessage());
        }
    }

    /**
     * PUBLISH_DONE can overtake the end of the track's last streams: the track counts as ended once as many groups as
     * it announced streams have ended (each of the publisher's streams is one group ending with End of Group), or
     * {@link #STREAMS_GRACE} later (a stream reset never ends its group; a loaded host can deliver the last ones seconds late).
     */
    private synchronized void publishDone(final int index, final long streamCount)
    {
        streamsAnnounced[index] = streamCount;
        if (groupsEnded[index] >= streamCount)
        {
            ended(index);
        }
        else
        {
            CompletableFuture.delayedExecutor(STREAMS_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> ended(index));
        }
    }

    private synchronized void ended(final int index)
    {
        ended[index] = true;
        for (final boolean e : ended)
        {
            if (!e)
            {
                return;
            }
        }
        done.complete(0);
    }

    private void fail(final String why)
    {
        if (!done.isDone())
        {
            log.println("subscribe: " + why);
        }
        done.complete(1);
    }
}
