package moq.relay.warmup;

import java.util.Map;

import io.netty.buffer.ByteBuf;
import moq.relay.config.RelayConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmupTrafficTest
{
    /**
     * The large-object paths a pair's first rounds exercise, whatever the warm-up's length: within a fixed opening of
     * at most five rounds, a key frame just beyond a store segment (the smallest jumbo record), one of 1 MiB + 1 (odd:
     * padded), one of 2 MiB (the suite's), two large objects back to back on one subgroup stream, every one more than a
     * 64 KiB egress slice and within what the store takes, and one object above the store's maximum (refused). Before
     * (issue 12): one key frame of a segment and 64 KiB in round 2, then every 16th round, on the MoQT pairs only,
     * nothing refused; a 3 s warm-up on a busy box sent one or two, and the first burst of 1-2 MiB objects
     * deoptimised the forwarding path every connection shares.
     */
    @Test
    void theOpeningReachesEveryLargeObjectPathInAFixedNumberOfRounds()
    {
        // The relay's defaults (1 MiB segments, 8 MiB objects at most) and HostilePeersIT's (256 KiB, 4 MiB).
        for (final RelayConfiguration config : new RelayConfiguration[] {RelayConfiguration.defaults(),
            RelayConfiguration.from(Map.of(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
                RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "4m"))})
        {
            final LargeFrames large = LargeFrames.of(config);
            final int segment = config.segmentBytes();
            final int most = config.storeMaxObjectBytes();
            assertThat(large.openingRounds()).as("opening rounds").isBetween(1, LargeFrames.FIRST_ROUND + 3);
            int beyondSegment = 0;
            int oddJumbo = 0;
            int twoMebibytes = 0;
            int refused = 0;
            int backToBack = 0;
            for (long round = 0; round < large.openingRounds(); round++)
            {
                boolean previousLarge = false;
                for (int o = 0; o < WarmupTraffic.VIDEO_OBJECTS; o++)
                {
                    final int bytes = WarmupTraffic.videoObjectBytes(round, o, large);
                    if (bytes <= WarmupTraffic.KEY_FRAME_BYTES)
                    {
                        previousLarge = false;
                        continue;
                    }
                    backToBack += previousLarge ? 1 : 0;
                    previousLarge = true;
                    assertThat(o).as("large: the key frame and the one behind it").isLessThanOrEqualTo(1);
                    assertThat(bytes).as("a large object").isGreaterThan(64 << 10).isLessThan(most)
                        .isLessThanOrEqualTo(LargeFrames.MAX_KEY_FRAME_BYTES);
                    if (o == 1)
                    {
                        assertThat(bytes).as("behind a key frame: more than one egress slice, below a segment")
                            .isGreaterThan(64 << 10).isLessThan(segment);
                    }
                    if (o == 0)
                    {
                        beyondSegment += bytes > segment && bytes <= segment + 1 + 1024 ? 1 : 0;
                        oddJumbo += bytes == (1 << 20) + 1 ? 1 : 0;
                        twoMebibytes += bytes == 2 << 20 ? 1 : 0;
                    }
                }
                if (large.oversizedIn(round))
                {
                    refused++;
                    assertThat(large.oversizedBytes()).as("just above the store's maximum").isEqualTo(most + 1);
                }
            }
            assertThat(beyondSegment).as("key frames just beyond a %d-byte segment", segment).isOne();
            assertThat(oddJumbo).as("key frames of 1 MiB + 1").isOne();
            assertThat(twoMebibytes).as("key frames of 2 MiB").isOne();
            assertThat(backToBack).as("large objects right behind a large one on its stream").isOne();
            assertThat(refused).as("objects above the store's maximum").isOne();
            assertThat(WarmupTraffic.payload(large.oversizedBytes()).release()).isTrue();
            // Later rounds: a key frame of the set every 16th round, and on MoQT the refused object with it.
            for (long round = large.openingRounds(); round < 64; round++)
            {
                assertThat(WarmupTraffic.videoObjectBytes(round, 1, large))
                    .isEqualTo(WarmupTraffic.videoObjectBytes(round, 1));
                final int bytes = WarmupTraffic.videoObjectBytes(round, 0, large);
                assertThat(bytes).isEqualTo(round % LargeFrames.REPEAT_EVERY == LargeFrames.FIRST_ROUND ?
                    large.keyFrames()[(int)((round / LargeFrames.REPEAT_EVERY - 1) % large.keyFrames().length)] :
                    WarmupTraffic.KEY_FRAME_BYTES);
                assertThat(large.oversizedIn(round)).isFalse();
                assertThat(large.oversizedAgainIn(round)).isEqualTo(bytes != WarmupTraffic.KEY_FRAME_BYTES);
            }
        }
    }

    /** Bounded by what the store takes, and nothing above an ordinary key frame when it takes no more. */
    @Test
    void largeFramesStayWithinTheStore()
    {
        // 2 MiB objects at most: the key frames stop below it, the refused one is just above it.
        final LargeFrames small = LargeFrames.of(RelayConfiguration.from(Map.of(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
            RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "2m")));
        assertThat(small.keyFrames()).containsExactly((256 << 10) + 1, (1 << 20) + 1, (2 << 20) - 1024);
        assertThat(small.oversizedBytes()).isEqualTo((2 << 20) + 1);
        // A maximum above the default's: no refused object (a moq-lite publisher would send all of it).
        final LargeFrames big = LargeFrames.of(RelayConfiguration.from(Map.of(
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "64m",
            RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "16m")));
        assertThat(big.keyFrames()).containsExactly((1 << 20) + 1, 2 << 20);
        assertThat(big.oversizedBytes()).isZero();
        assertThat(big.oversizedIn(LargeFrames.FIRST_ROUND)).isFalse();
        // A subscriber backlog of 2 MiB: no key frame whose records pass it (its group would be skipped).
        assertThat(LargeFrames.of(RelayConfiguration.from(Map.of(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "2m"))).keyFrames())
            .containsExactly((256 << 10) + 1, (1 << 20) + 1);
        // A store too small for 8 pairs' openings in half of it (7 MiB each at 1 MiB segments): no large key frames.
        final LargeFrames tight = LargeFrames.of(RelayConfiguration.from(Map.of(
            RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m")));
        assertThat(tight.keyFrames()).isEmpty();
        assertThat(tight.oversizedBytes()).isEqualTo((8 << 20) + 1);
        assertThat(LargeFrames.of(RelayConfiguration.from(Map.of(
            RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "112m"))).keyFrames()).hasSize(2);
        // A store that takes nothing above an ordinary key frame: no opening.
        final LargeFrames none = LargeFrames.of(RelayConfiguration.from(Map.of(
            RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "16k")));
        assertThat(none.keyFrames()).isEmpty();
        assertThat(none.openingRounds()).isZero();
        assertThat(WarmupTraffic.videoObjectBytes(LargeFrames.FIRST_ROUND, 0, none))
            .isEqualTo(WarmupTraffic.KEY_FRAME_BYTES);
        assertThat(WarmupTraffic.videoObjectBytes(LargeFrames.FIRST_ROUND, 0, LargeFrames.NONE))
            .isEqualTo(WarmupTraffic.KEY_FRAME_BYTES);
    }

    @Test
    void aLargePayloadIsWholeAndOwnedByTheReceiver()
    {
        final ByteBuf payload = WarmupTraffic.payload((1 << 20) + 123);
        assertThat(payload.readableBytes()).isEqualTo((1 << 20) + 123);
        assertThat(payload.getByte((1 << 20) + 122)).isZero();
        assertThat(payload.release()).isTrue();
        final ByteBuf small = WarmupTraffic.payload(100);
        assertThat(small.readableBytes()).isEqualTo(100);
        small.release();
    }
}
