package moq.relay.transport.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order stream opens waiting for credit are served in, the per-session bound and withdrawal. */
class WaitingOpensTest
{
    private static final QuicStreamType UNI = QuicStreamType.UNIDIRECTIONAL;
    private static final QuicStreamType BIDI = QuicStreamType.BIDIRECTIONAL;

    private final WaitingOpens<String> opens = new WaitingOpens<>(4);

    @Test
    void servesUnrankedFirstThenSubscriberThenPublisherPriorityThenArrival()
    {
        final Promise<QuicStreamChannel> lowSubscriber = add("a", WaitingOpens.rank(200, 0));
        final Promise<QuicStreamChannel> highSubscriberLowPublisher = add("a", WaitingOpens.rank(10, 200));
        final Promise<QuicStreamChannel> highBoth = add("a", WaitingOpens.rank(10, 5));
        final Promise<QuicStreamChannel> control = add("a", WaitingOpens.UNRANKED);
        final WaitingOpens<String> other = new WaitingOpens<>(8);
        assertThat(other.isEmpty(UNI)).isTrue();

        assertThat(drain(UNI)).containsExactly(control, highBoth, highSubscriberLowPublisher, lowSubscriber);
        assertThat(opens.waiting("a")).isZero();
    }

    @Test
    void equalRanksInArrivalOrderAndDirectionsApart()
    {
        final Promise<QuicStreamChannel> first = add("a", 5);
        final Promise<QuicStreamChannel> request = promise();
        opens.add("a", BIDI, WaitingOpens.UNRANKED, new ChannelInboundHandlerAdapter(), request);
        final Promise<QuicStreamChannel> second = add("b", 5);

        assertThat(drain(UNI)).containsExactly(first, second);
        assertThat(drain(BIDI)).containsExactly(request);
    }

    @Test
    void aCancelledOpenLeavesAtOnceAndIsNeverServed()
    {
        final Promise<QuicStreamChannel> stale = add("a", 5);
        final Promise<QuicStreamChannel> fresh = add("a", 5);
        assertThat(opens.waiting("a")).isEqualTo(2);

        assertThat(stale.cancel(false)).isTrue();

        assertThat(opens.waiting("a")).isEqualTo(1);
        assertThat(drain(UNI)).containsExactly(fresh);
        assertThat(fresh.cancel(false)).as("taken for creation: no longer cancellable").isFalse();
    }

    @Test
    void atTheBoundTheOpenServedLastGivesWay()
    {
        final Promise<QuicStreamChannel> low = add("a", WaitingOpens.rank(200, 128));
        final Promise<QuicStreamChannel> mid1 = add("a", WaitingOpens.rank(100, 128));
        final Promise<QuicStreamChannel> mid2 = add("a", WaitingOpens.rank(100, 128));
        final Promise<QuicStreamChannel> high = add("a", WaitingOpens.rank(0, 128));
        final Promise<QuicStreamChannel> otherSession = add("b", WaitingOpens.rank(255, 255));

        // Session a is at its bound: a higher-ranked open evicts a's lowest one (not b's).
        final Promise<QuicStreamChannel> higher = add("a", WaitingOpens.rank(50, 128));
        assertThat(low.cause()).isInstanceOf(WaitingOpens.OpenRefusedException.class);
        assertThat(otherSession.isDone()).isFalse();

        // An equal-ranked newcomer would be served last: it is the one refused.
        final Promise<QuicStreamChannel> late = add("a", WaitingOpens.rank(100, 128));
        assertThat(late.cause()).isInstanceOf(WaitingOpens.OpenRefusedException.class);

        assertThat(opens.waiting("a")).isEqualTo(4);
        assertThat(opens.refused()).isEqualTo(2);
        assertThat(drain(UNI)).containsExactly(high, higher, mid1, mid2, otherSession);
    }

    @Test
    void failAllFailsOneSessionsOpens()
    {
        final Promise<QuicStreamChannel> a = add("a", 1);
        final Promise<QuicStreamChannel> b = add("b", 1);

        opens.failAll("a", new IllegalStateException("closed"));

        assertThat(a.cause()).hasMessage("closed");
        assertThat(opens.waiting("a")).isZero();
        assertThat(drain(UNI)).containsExactly(b);
    }

    private Promise<QuicStreamChannel> add(final String owner, final int rank)
    {
        final Promise<QuicStreamChannel> p = promise();
        opens.add(owner, UNI, rank, new ChannelInboundHandlerAdapter(), p);
        return p;
    }

    private static Promise<QuicStreamChannel> promise()
    {
        return ImmediateEventExecutor.INSTANCE.newPromise();
    }

    private List<Promise<QuicStreamChannel>> drain(final QuicStreamType type)
    {
        final List<Promise<QuicStreamChannel>> served = new ArrayList<>();
        WaitingOpens.Open<String> open;
        while ((open = opens.poll(type)) != null)
        {
            served.add(open.promise());
        }
        return served;
    }
}
