package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.junit.jupiter.api.Test;

/** The bounded memory of a draft-18 peer's request ids: any order, no duplicates, right parity. */
class PeerRequestIdsTest
{
    private static void assertRefused(final PeerRequestIds ids, final long id, final String why)
    {
        assertThatThrownBy(() -> ids.use(id)).isInstanceOfSatisfying(WireException.class,
            e -> assertThat(e.error()).isEqualTo(SessionError.INVALID_REQUEST_ID)).hasMessageContaining(why);
    }

    @Test
    void acceptsEveryIdOnceInAnyOrderWithinTheWindow() throws WireException
    {
        final PeerRequestIds ids = new PeerRequestIds(0, 4);
        ids.use(6);
        ids.use(0);
        ids.use(4);
        assertRefused(ids, 4, "already used");
        assertRefused(ids, 6, "already used");
        assertThat(ids.smallestUnused()).as("GOAWAY: 2 was not processed").isEqualTo(2);
        ids.use(2);
        assertThat(ids.smallestUnused()).isEqualTo(8);
        assertRefused(ids, 3, "is odd");
    }

    @Test
    void forgetsSlotsAsTheHighestAdvancesAndRefusesIdsBelowTheWindow() throws WireException
    {
        final PeerRequestIds ids = new PeerRequestIds(0, 4);
        ids.use(0);
        ids.use(2);
        ids.use(100); // slots of 94..100 are fresh, whatever 0 and 2 left in the ring
        ids.use(94);
        ids.use(96);
        assertRefused(ids, 92, "too old to tell");
        assertRefused(ids, 0, "too old to tell");
        assertRefused(ids, 96, "already used");
        ids.use(98);
    }

    @Test
    void fullSixtyFourBitIdsAndTheServersParity() throws WireException
    {
        final PeerRequestIds ids = new PeerRequestIds(1, 1000);
        assertThat(ids.smallestUnused()).isEqualTo(1);
        ids.use(-1L); // 2^64-1
        ids.use(-3L);
        assertRefused(ids, -1L, "already used");
        assertRefused(ids, 2, "is even");
    }
}
