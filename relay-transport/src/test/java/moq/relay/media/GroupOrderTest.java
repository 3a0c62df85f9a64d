package moq.relay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Video frames reach the muxer in group order even when the next group's stream overtakes the current one. */
class GroupOrderTest
{
    private final List<String> out = new ArrayList<>();

    @Test
    void aLaterGroupWaitsUntilTheCurrentOneEnds()
    {
        final GroupOrder order = new GroupOrder(100, (g, o, f) -> out.add(g + "/" + o));
        order.frame(0, 0, "k0");
        order.frame(0, 1, "d");
        order.frame(1, 0, "k1");
        order.frame(1, 1, "d");
        order.frame(0, 2, "d");
        assertThat(out).containsExactly("0/0", "0/1", "0/2");
        order.endOfGroup(0);
        order.frame(1, 2, "d");
        order.frame(0, 3, "late");
        assertThat(out).containsExactly("0/0", "0/1", "0/2", "1/0", "1/1", "1/2");
        assertThat(order.dropped()).isEqualTo(1);
    }

    @Test
    void aGroupThatEndedWhileHeldIsPassedAndTooManyHeldFramesGiveUpTheCurrentGroup()
    {
        final GroupOrder order = new GroupOrder(3, (g, o, f) -> out.add(g + "/" + o));
        order.frame(0, 0, "k0");
        order.frame(1, 0, "k1");
        order.endOfGroup(1);
        order.frame(2, 0, "k2");
        order.endOfGroup(0);
        assertThat(out).containsExactly("0/0", "1/0", "2/0");
        order.frame(3, 0, "k3");
        order.frame(3, 1, "d");
        order.frame(3, 2, "d");
        order.frame(3, 3, "d");
        // Group 2 never ended: after more than 3 held frames it is given up.
        assertThat(out).containsExactly("0/0", "1/0", "2/0", "3/0", "3/1", "3/2", "3/3");
        order.frame(2, 1, "late");
        order.frame(4, 0, "k4");
        order.flush();
        assertThat(out).containsExactly("0/0", "1/0", "2/0", "3/0", "3/1", "3/2", "3/3", "4/0");
    }
}
