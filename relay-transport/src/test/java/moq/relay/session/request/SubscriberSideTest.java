package moq.relay.session.request;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscriber side of a subscription, the one machine the relay's upstream subscriptions and the client's
 * subscriptions run: when PUBLISH_DONE takes effect and what a lost request means.
 */
class SubscriberSideTest
{
    private static final long GRACE_MILLIS = 50;

    private final EmbeddedChannel loop = new EmbeddedChannel();
    private int doneTakesEffect;
    private boolean closed;

    private final SubscriberSide side = new SubscriberSide(new SubscriberSide.Owner()
    {
        @Override
        public EventLoop eventLoop()
        {
            return loop.eventLoop();
        }

        @Override
        public long publishDoneGraceMillis()
        {
            return GRACE_MILLIS;
        }

        @Override
        public boolean closed()
        {
            return closed;
        }

        @Override
        public void publishDoneTakesEffect()
        {
            doneTakesEffect++;
        }
    });

    @Test
    void publishDoneBeforeItsStreamsEndedWaitsForThem()
    {
        side.established();
        side.streamStarted();
        side.streamStarted();

        assertThat(side.publishDone(2)).isTrue();
        side.streamEnded();
        assertThat(doneTakesEffect).isZero();
        assertThat(side.state()).isEqualTo(SubscriberSide.State.ESTABLISHED);

        side.streamEnded();
        assertThat(doneTakesEffect).isEqualTo(1);
        assertThat(side.state()).isEqualTo(SubscriberSide.State.ENDED);
    }

    @Test
    void countedStreamsThatNeverStartAreGivenUpAfterTheGraceButAStartedOneIsReadToItsEnd() throws Exception
    {
        side.established();
        side.streamStarted();
        side.publishDone(3);

        TimeUnit.MILLISECONDS.sleep(GRACE_MILLIS * 2);
        loop.runScheduledPendingTasks();
        assertThat(doneTakesEffect).as("the started stream is still open").isZero();

        side.streamEnded();
        assertThat(doneTakesEffect).isEqualTo(1);
    }

    @Test
    void aSecondPublishDoneAndOneBeforeTheAnswerAreIgnored()
    {
        assertThat(side.publishDone(0)).as("before SUBSCRIBE_OK").isFalse();
        side.established();
        side.streamStarted();
        assertThat(side.publishDone(1)).isTrue();
        assertThat(side.publishDone(0)).as("a second PUBLISH_DONE").isFalse();
        assertThat(doneTakesEffect).isZero();
        side.streamEnded();
        assertThat(doneTakesEffect).isEqualTo(1);
    }

    @Test
    void aLostRequestIsUnansweredBeforeTheAnswerAndEndedWithoutPublishDoneAfterIt()
    {
        assertThat(side.lost(false)).isEqualTo(SubscriberSide.Loss.UNANSWERED);
        assertThat(side.state()).isEqualTo(SubscriberSide.State.ENDED);
        assertThat(side.lost(false)).as("ENDED is final").isEqualTo(SubscriberSide.Loss.NONE);

        final SubscriberSide established = new SubscriberSide(null);
        established.established();
        assertThat(established.lost(true)).as("the session's close ends it instead").isEqualTo(
            SubscriberSide.Loss.NONE);
        assertThat(established.lost(false)).isEqualTo(SubscriberSide.Loss.WITHOUT_PUBLISH_DONE);
    }

    @Test
    void aLostRequestAfterPublishDoneLeavesItToTakeEffect()
    {
        side.established();
        side.streamStarted();
        side.publishDone(1);

        assertThat(side.lost(false)).isEqualTo(SubscriberSide.Loss.NONE);
        side.streamEnded();
        assertThat(doneTakesEffect).isEqualTo(1);
    }

    @Test
    void theGraceTimerDoesNothingOnceTheSessionClosed() throws Exception
    {
        side.established();
        side.publishDone(1);
        closed = true;

        TimeUnit.MILLISECONDS.sleep(GRACE_MILLIS * 2);
        loop.runScheduledPendingTasks();
        assertThat(doneTakesEffect).isZero();
    }
}
