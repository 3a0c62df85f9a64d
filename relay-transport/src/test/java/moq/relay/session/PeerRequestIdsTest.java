package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerRequestIdsTest
{
    @Test
    void outOfOrderIsAcceptedOnceAndDuplicatesAreRefused()
    {
        final PeerRequestIds ids = new PeerRequestIds();
        assertThat(ids.accept(6)).isTrue();
        assertThat(ids.accept(2)).isTrue();
        assertThat(ids.accept(0)).isTrue();
        assertThat(ids.accept(4)).isTrue();
        assertThat(ids.accept(2)).isFalse();
        assertThat(ids.accept(6)).isFalse();
        assertThat(ids.accept(8)).isTrue();
        assertThat(ids.next()).isEqualTo(10);
    }

    @Test
    void idsThatLeftTheWindowAreRefusedAndTheirSlotsReused()
    {
        final PeerRequestIds ids = new PeerRequestIds();
        assertThat(ids.accept(0)).isTrue();
        final long far = 2L * PeerRequestIds.WINDOW;
        // Slot of `far` wraps onto id 0's: it must be cleared, not read as seen.
        assertThat(ids.accept(far)).isTrue();
        assertThat(ids.accept(0)).as("too far below to tell from a duplicate").isFalse();
        assertThat(ids.accept(far - 2)).as("inside the window, never seen").isTrue();
        assertThat(ids.accept(far - 2)).isFalse();
        assertThat(ids.accept(far + 2 * PeerRequestIds.WINDOW - 2)).isTrue();
        assertThat(ids.accept(far + 2)).as("within the window again").isTrue();
    }

    @Test
    void aHugeFirstIdDoesNotLoopOverEverySlot()
    {
        final PeerRequestIds ids = new PeerRequestIds();
        assertThat(ids.accept(Long.MAX_VALUE - 1)).isTrue();
        assertThat(ids.accept(Long.MAX_VALUE - 1)).isFalse();
    }
}
