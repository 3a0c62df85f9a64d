package moq.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.Test;

/** The video-call scenario's shape: calls as separate meshes, and tracks whose groups start with a larger object. */
class VideoCallWorkloadTest
{
    private static final Scenarios.Knobs KNOBS = new Scenarios.Knobs(Draft.DRAFT_18, Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1 << 18, List.of(1), List.of("relay"), 1,
        1, 1, 1);

    @Test
    void participantsSubscribeOnlyToTheOthersOfTheirOwnCall()
    {
        final Workload w = Scenarios.calls(KNOBS, 4, 3);
        assertThat(w.publishers()).isEqualTo(12);
        assertThat(w.fanout()).isEqualTo(3);
        final List<List<TrackKey>> sessions = w.subscriberSessions();
        assertThat(sessions).hasSize(12);
        for (int self = 0; self < 12; self++)
        {
            final int call = self / 4;
            final int me = self;
            assertThat(sessions.get(self)).hasSize(3 * Scenarios.CALL_TRACKS.size())
                .allSatisfy(t -> assertThat(t.publisher()).isNotEqualTo(me).matches(p -> p / 4 == call));
        }
        assertThatThrownBy(() -> new Workload(Draft.DRAFT_18, 5, Scenarios.CALL_TRACKS, 0, true, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, 1, 2)).hasMessageContaining("multiple of the call size");
    }

    @Test
    void callTracksAreAudioOfOneObjectGroupsAndVideoWithALargeKeyframe()
    {
        final TrackSpec audio = Scenarios.CALL_TRACKS.get(0);
        final TrackSpec video = Scenarios.CALL_TRACKS.get(1);
        assertThat(audio.groupLength()).isEqualTo(1);
        assertThat(audio.bitsPerSecond()).isEqualTo(64_000);
        assertThat(video.sizeOf(0)).isEqualTo(10 * video.sizeOf(1));
        assertThat(video.bitsPerSecond()).isBetween(1.45e6, 1.55e6);
        assertThat(TrackSpec.parse(video.toString())).isEqualTo(video);
        assertThat(TrackSpec.parse("a:100:50:1")).isEqualTo(new TrackSpec("a", 100, 50, 1, 100));
    }
}
