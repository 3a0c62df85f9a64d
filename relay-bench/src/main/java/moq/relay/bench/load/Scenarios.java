package moq.relay.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.Draft;

/**
 * The named scenarios, each a list of runs ({@link Point}s) measured one after the other in the same invocation, so
 * that the relay, the ceiling and the floor are side by side under the same machine conditions.
 */
final class Scenarios
{
    static final List<String> NAMES = List.of("video-call", "fanout", "live", "chat");

    /**
     * One run: which target ({@code relay}, {@code ceiling}, {@code floor}), what it measures, the workload. A paced
     * ceiling run is the direct hop with the relay run's subscribers (live, chat and video-call have it as their
     * ceiling row; fanout adds it at 30/s).
     */
    record Point(String series, String point, Workload workload)
    {
    }

    /** Knobs of every scenario (the ScenarioCommand options). */
    record Knobs(Draft draft, Duration warmup, Duration duration, Duration latencyDuration, Duration drain,
        long maxQueuedBytes, List<Integer> fanouts, List<String> series, int liveSubscribers, int chatRooms,
        int chatSubscribers, double chatRate)
    {
    }

    private Scenarios()
    {
    }

    static List<Point> points(final String name, final Knobs k)
    {
        final List<Point> points = new ArrayList<>();
        switch (name)
        {
            case "fanout":
            {
                // Throughput: 4 KB objects as fast as flow control allows; latency: the same at 30 objects/s, with
                // the direct hop to the same subscribers (the ceiling paced at 30/s: the publisher fanning out
                // itself) as what the relay adds to, and the one-subscriber hop (floor) as the absolute floor.
                final Workload max = workload(k, 1, List.of(new TrackSpec("data", 4096, 0, 30)), 1, false,
                    k.duration());
                final Workload paced = workload(k, 1, List.of(new TrackSpec("data", 4096, 30, 30)), 1, false,
                    k.latencyDuration());
                for (final int f : k.fanouts())
                {
                    add(points, k, "relay", "max", max.withSubscribers(f));
                    add(points, k, SuiteOptions.RELAY_LITE, "max", max.withSubscribers(f));
                    add(points, k, SuiteOptions.RELAY_LITE_PUB, "max", max.withSubscribers(f));
                    add(points, k, SuiteOptions.RELAY_LITE_BOTH, "max", max.withSubscribers(f));
                    add(points, k, "ceiling", "max", max.withSubscribers(f));
                    add(points, k, "relay", "30/s", paced.withSubscribers(f));
                    add(points, k, SuiteOptions.RELAY_LITE, "30/s", paced.withSubscribers(f));
                    add(points, k, SuiteOptions.RELAY_LITE_PUB, "30/s", paced.withSubscribers(f));
                    add(points, k, SuiteOptions.RELAY_LITE_BOTH, "30/s", paced.withSubscribers(f));
                    add(points, k, "ceiling", "30/s", paced.withSubscribers(f));
                }
                add(points, k, "floor", "30/s", paced.withSubscribers(1));
                break;
            }
            case "live":
            {
                // 4 Mbit/s of 30 fps video (16,667 B objects), 2 s groups, to many viewers.
                final Workload live = workload(k, 1, List.of(new TrackSpec("video", 16_667, 30, 60)),
                    k.liveSubscribers(), false, k.latencyDuration());
                add(points, k, "relay", "4Mbps", live);
                add(points, k, "ceiling", "4Mbps", live);
                add(points, k, "floor", "4Mbps", live.withSubscribers(1));
                break;
            }
            case "chat":
            {
                // Many tiny messages, each its own group (one stream per message), in several rooms.
                final Workload chat = workload(k, k.chatRooms(),
                    List.of(new TrackSpec("chat", 100, k.chatRate(), 1)), k.chatSubscribers(), false,
                    k.latencyDuration());
                add(points, k, "relay", "chat", chat);
                add(points, k, "ceiling", "chat", chat);
                add(points, k, "floor", "chat", chat.withSubscribers(1));
                break;
            }
            case "cluster":
            {
                // Relay hops side by side: the direct hop (the ceiling: the publisher fanning out itself), one relay
                // (publisher -> A -> subscribers) and two (publisher -> A -> B -> subscribers, B's static upstream
                // A), at 30 objects/s for latency and at full speed for throughput and CPU per byte.
                final Workload paced = workload(k, 1, List.of(new TrackSpec("data", 1024, 30, 30)), 1, false,
                    k.latencyDuration());
                final Workload max = workload(k, 1, List.of(new TrackSpec("data", 4096, 0, 30)), 1, false,
                    k.duration());
                for (final int f : k.fanouts())
                {
                    add(points, k, "ceiling", "30/s", paced.withSubscribers(f));
                    add(points, k, "relay", "30/s", paced.withSubscribers(f));
                    if (k.series().contains("relay"))
                    {
                        points.add(new Point("relay2", "30/s", paced.withSubscribers(f)));
                    }
                }
                for (final int f : k.fanouts())
                {
                    add(points, k, "relay", "max", max.withSubscribers(f));
                    if (k.series().contains("relay"))
                    {
                        points.add(new Point("relay2", "max", max.withSubscribers(f)));
                    }
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unknown scenario " + name + "; known: " + NAMES +
                    ", cluster and idle-sessions (video-call runs as a ramp: VideoCallRamp)");
        }
        return points;
    }

    /**
     * What each video-call participant publishes: audio at 64 kbit/s, 50 objects of 160 B a second, each its own
     * group (so its own stream, as moq-dev's publisher sends Opus frames); video at about 1.5 Mbit/s, 30 fps, a group
     * (keyframe) every 2 s whose first object is ten times the size of the 59 after it (54,350 B then 5,435 B).
     */
    static final List<TrackSpec> CALL_TRACKS = List.of(new TrackSpec("audio", 160, 50, 1),
        new TrackSpec("video", 5_435, 30, 60, 54_350));

    /** {@code calls} concurrent calls of {@code size} participants, each subscribed to the others of its call. */
    static Workload calls(final Knobs k, final int size, final int calls)
    {
        return new Workload(k.draft(), size * calls, CALL_TRACKS, 0, true, k.warmup(), k.latencyDuration(),
            k.drain(), k.maxQueuedBytes(), size);
    }

    private static void add(final List<Point> points, final Knobs k, final String series, final String point,
        final Workload w)
    {
        if (k.series().contains(series))
        {
            points.add(new Point(series, point, w));
        }
    }

    private static Workload workload(final Knobs k, final int publishers, final List<TrackSpec> tracks,
        final int subscribers, final boolean mesh, final Duration duration)
    {
        return new Workload(k.draft(), publishers, tracks, subscribers, mesh, k.warmup(), duration, k.drain(),
            k.maxQueuedBytes());
    }
}
