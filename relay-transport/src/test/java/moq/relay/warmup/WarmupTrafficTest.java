package moq.relay.warmup;

import java.util.Map;

import io.netty.buffer.ByteBuf;
import moq.relay.config.RelayConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmupTrafficTest
{
    /**
     * The warm-up's large key frame is above a store segment (a jumbo record) and a 64 KiB egress slice, within what
     * the store takes: the path a first burst of 1-2 MiB objects otherwise compiled (and deoptimised the pairs' hot
     * code) while serving (issue 12).
     */
    @Test
    void everySixteenthKeyFrameTakesTheLargeObjectPath()
    {
        final RelayConfiguration defaults = RelayConfiguration.defaults();
        final int large = WarmupTraffic.largeKeyFrameBytes(defaults);
        assertThat(large).isGreaterThan(defaults.segmentBytes()).isGreaterThan(64 << 10)
            .isLessThanOrEqualTo(defaults.storeMaxObjectBytes());
        // HostilePeersIT's relay: 256 KiB segments, 4 MiB objects at most.
        final RelayConfiguration small = RelayConfiguration.from(Map.of(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
            RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "4m"));
        assertThat(WarmupTraffic.largeKeyFrameBytes(small)).isEqualTo((256 << 10) + (64 << 10));
        // A store that takes no object above an ordinary key frame gets none.
        assertThat(WarmupTraffic.largeKeyFrameBytes(RelayConfiguration.from(Map.of(
            RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "16k")))).isZero();

        int largeOnes = 0;
        for (long round = 0; round < 64; round++)
        {
            for (int o = 0; o < WarmupTraffic.VIDEO_OBJECTS; o++)
            {
                final int bytes = WarmupTraffic.videoObjectBytes(round, o, large);
                if (bytes == large)
                {
                    largeOnes++;
                    assertThat(o).isZero();
                }
                else
                {
                    assertThat(bytes).isEqualTo(WarmupTraffic.videoObjectBytes(round, o));
                }
            }
        }
        assertThat(largeOnes).isEqualTo(64 / WarmupTraffic.LARGE_KEY_FRAME_EVERY);
        assertThat(WarmupTraffic.videoObjectBytes(2, 0, large)).as("the third round's").isEqualTo(large);
        assertThat(WarmupTraffic.videoObjectBytes(2, 0, 0))
            .as("none when 0").isEqualTo(WarmupTraffic.KEY_FRAME_BYTES);
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
