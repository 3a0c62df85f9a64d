package moq.relay.session.request;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher side of a subscription, the one machine the relay's downstream subscriptions and offered tracks and
 * the client's published tracks run: when objects flow, when PUBLISH_DONE goes out, what a cancel resets.
 */
class PublisherSideTest
{
    @Test
    void aSubscribeIsActiveOnceAnsweredAndACancelThenResetsItsStreams()
    {
        final PublisherSide side = PublisherSide.requested();
        assertThat(side.active()).as("no object before the answer").isFalse();
        assertThat(side.updatable()).isFalse();

        assertThat(side.accepted()).isTrue();
        assertThat(side.active()).isTrue();
        assertThat(side.updatable()).isTrue();
        assertThat(side.accepted()).as("answered once").isFalse();

        assertThat(side.cancelled()).as("a cancel while active resets the streams").isTrue();
        assertThat(side.state()).isEqualTo(PublisherSide.State.ENDED);
        assertThat(side.done()).as("no PUBLISH_DONE after the subscriber's cancel").isFalse();
    }

    @Test
    void afterPublishDoneTheSubscribersCloseIsNoCancel()
    {
        final PublisherSide side = PublisherSide.requested();
        side.accepted();

        assertThat(side.done()).isTrue();
        assertThat(side.done()).as("PUBLISH_DONE once").isFalse();
        assertThat(side.updatable()).isFalse();
        assertThat(side.cancelled()).as("the last streams finish").isFalse();
        assertThat(side.state()).isEqualTo(PublisherSide.State.ENDED);
    }

    @Test
    void anOfferCountsOnlyItsFirstAnswer()
    {
        final PublisherSide accepted = PublisherSide.offered();
        assertThat(accepted.state()).isEqualTo(PublisherSide.State.OFFERED);
        assertThat(accepted.accepted()).isTrue();
        assertThat(accepted.declined()).as("REQUEST_ERROR after PUBLISH_OK").isFalse();
        assertThat(accepted.active()).isTrue();

        final PublisherSide declined = PublisherSide.offered();
        assertThat(declined.declined()).isTrue();
        assertThat(declined.accepted()).as("PUBLISH_OK after REQUEST_ERROR").isFalse();
        assertThat(declined.cancelled()).as("nothing to reset").isFalse();
    }

    @Test
    void theEngineMayEndASubscriptionBeforeItsAcceptanceReachedTheLoop()
    {
        final PublisherSide side = PublisherSide.requested();
        assertThat(side.done()).isTrue();
        assertThat(side.accepted()).as("no SUBSCRIBE_OK after PUBLISH_DONE").isFalse();
        assertThat(side.cancelled()).isFalse();
    }

    @Test
    void aRefusedSubscribeEndsAtOnce()
    {
        final PublisherSide side = PublisherSide.requested();
        assertThat(side.declined()).isTrue();
        assertThat(side.done()).isFalse();
        assertThat(side.cancelled()).isFalse();
    }
}
