package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CongestedSubscriberTest} for a moq-lite subscriber (the browser call page's protocol): its connection takes
 * no more bytes (4 KiB of credit, Group Streams left unread for two seconds) while audio arrives as a call sends it,
 * one frame per group, 50 groups a second. The relay must shed, not queue: hold the next groups in its log, where
 * {@code moq.relay.subscriber.backlog.max.delay} (200 ms here) bounds their wait and resets the subscription's stale
 * groups TOO_FAR_BEHIND past it, rather than open a Group Stream per group and queue each group's bytes in it, out of
 * the time bound's sight, to be delivered stale once the subscriber reads again.
 */
class LiteCongestedSubscriberTest
{
    private static final long STALL_MS = 2000;
    private static final long AFTER_MS = 1000;

    @RegisterExtension
    static final LiteRelayExtension lite =
        LiteRelayExtension.withSettings(Map.of("moq.relay.subscriber.backlog.max.delay", "200ms"));

    /** Publication time (nanoTime) of each group. */
    private final Map<Long, Long> published = new ConcurrentHashMap<>();

    @Test
    void aLiteSubscriberWhoseConnectionTakesNothingIsShedNotQueuedFor() throws Exception
    {
        final MoqClient moqt = lite.relay.connect(Draft.DRAFT_18);
        final TrackNamespace ns = TrackNamespace.of("live", "congested");
        moqt.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        final TrackPublisher audio = moqt.track(ns, Bytes.utf8("audio"), 128);

        final LiteTestPeer subscriber = lite.peer(LiteVersion.LITE_05, 4096, 10_000);
        final LiteTestPeer.Control sub = subscriber.open(LiteStreamSide.SUBSCRIBE_REPLY, subscriber.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(1, "live/congested", "audio", 10, true, 0, 0, 0)));
        RelayFixture.await(() -> sub.first(SubscribeStart.class) != null, "SUBSCRIBE_START");
        audio.firstSubscriber().get(5, TimeUnit.SECONDS);
        subscriber.holdGroups = true;

        final long start = System.nanoTime();
        final Thread media = new Thread(() -> CongestedSubscriberTest.publishAudio(audio, start, STALL_MS + AFTER_MS,
            published), "audio");
        media.start();
        // While the subscriber reads nothing: how many frames the relay has handed to its streams whose bytes QUIC has
        // not taken (the stall's first half fills the window; the second half is what the relay does then).
        Thread.sleep(STALL_MS / 2);
        long inTransport = 0;
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(STALL_MS))
        {
            inTransport = Math.max(inTransport, lite.relay.relay.egressLoop(0).counters().objectsInTransport());
            Thread.sleep(20);
        }
        subscriber.releaseGroups();
        media.join();
        final long end = start + TimeUnit.MILLISECONDS.toNanos(STALL_MS + AFTER_MS);
        final long lastFrom = end - TimeUnit.MILLISECONDS.toNanos(AFTER_MS / 2);
        final long lastGroups = published.values().stream().filter(t -> t >= lastFrom).count();
        RelayFixture.await(() -> delivered(subscriber, lastFrom, end) >= lastGroups * 8 / 10,
            () -> "the live edge after the stall: " + delivered(subscriber, lastFrom, end) + " of the last " +
                lastGroups + " groups");
        final long tooLate = lite.relay.relay.egressLoop(0).counters().tooLateResets();
        System.out.printf("congested moq-lite subscriber: at most %d frames waited in the relay's streams for QUIC in "
            + "the stall's second half; %d too-late resets; %d groups published%n", inTransport, tooLate,
            published.size());
        assertThat(inTransport).as("frames the relay handed to the stalled subscriber's Group Streams and QUIC had "
            + "not taken (a stream per group, each queueing its bytes, would be every group of the stall)")
            .isLessThanOrEqualTo(3);
        assertThat(tooLate).as("subscriptions reset as too late (moq.relay.subscriber.backlog.max.delay)")
            .isGreaterThan(0);
    }

    /** Groups published in [from, to) whose frame the subscriber received. */
    private long delivered(final LiteTestPeer subscriber, final long from, final long to)
    {
        return subscriber.groups.stream().filter(g -> !g.frames.isEmpty()).filter(g ->
        {
            final Long at = published.get(g.sequence);
            return at != null && at >= from && at < to;
        }).count();
    }
}
