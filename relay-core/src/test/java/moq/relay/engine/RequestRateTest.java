package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-session request token bucket (DoS draft §4.2), on a hand-driven clock. */
class RequestRateTest
{
    private static final long MS = 1_000_000L;

    @Test
    void aBurstIsAdmittedAtOnceThenOneRequestPerTokenEarned()
    {
        final RequestRate rate = new RequestRate(100, 5, 0);
        for (int i = 0; i < 5; i++)
        {
            assertThat(rate.tryAcquire(0)).as("request %d of the burst", i).isTrue();
        }
        assertThat(rate.tryAcquire(0)).as("the burst is spent").isFalse();
        assertThat(rate.tryAcquire(9 * MS)).as("9 ms earn less than one token at 100/s").isFalse();
        assertThat(rate.tryAcquire(10 * MS)).as("10 ms earn one").isTrue();
        assertThat(rate.tryAcquire(10 * MS)).isFalse();
    }

    @Test
    void aSessionRefusedABurstsWorthBeforeTheBucketRefilledIsAbusive()
    {
        final RequestRate rate = new RequestRate(100, 5, 0);
        for (int i = 0; i < 5; i++)
        {
            rate.tryAcquire(0);
        }
        for (int i = 0; i < 4; i++)
        {
            assertThat(rate.tryAcquire(0)).isFalse();
        }
        assertThat(rate.abusive()).as("four refusals of a burst of five").isFalse();
        // A token earned in between does not forgive the refusals: only a full bucket does.
        assertThat(rate.tryAcquire(10 * MS)).isTrue();
        assertThat(rate.tryAcquire(10 * MS)).isFalse();
        assertThat(rate.abusive()).as("the fifth refusal").isTrue();
    }

    @Test
    void aPauseLongEnoughToRefillTheBucketForgivesTheRefusals()
    {
        final RequestRate rate = new RequestRate(100, 5, 0);
        for (int i = 0; i < 9; i++)
        {
            rate.tryAcquire(0);
        }
        assertThat(rate.abusive()).isFalse();
        assertThat(rate.tryAcquire(50 * MS)).as("the bucket is full again after 50 ms").isTrue();
        for (int i = 0; i < 4; i++)
        {
            assertThat(rate.tryAcquire(50 * MS)).isTrue();
        }
        for (int i = 0; i < 4; i++)
        {
            assertThat(rate.tryAcquire(50 * MS)).isFalse();
        }
        assertThat(rate.abusive()).as("the refusals before the pause were forgotten").isFalse();
    }

    @Test
    void aLongIdleSessionDoesNotOverflowItsCredit()
    {
        final RequestRate rate = new RequestRate(1, 1_000_000, 0);
        assertThat(rate.tryAcquire(Long.MAX_VALUE / 2)).isTrue();
        assertThat(rate.tryAcquire(Long.MAX_VALUE)).isTrue();
    }
}
