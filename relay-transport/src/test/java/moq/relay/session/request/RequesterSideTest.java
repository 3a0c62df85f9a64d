package moq.relay.session.request;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The side that sent a FETCH or a PUBLISH_NAMESPACE, the one machine the relay's upstream FETCHes and draft-14
 * announcements and the client's FETCH and PUBLISH_NAMESPACE run: which answer counts, when the peer is owed a cancel.
 */
class RequesterSideTest
{
    private static RequesterSide sent()
    {
        final RequesterSide side = new RequesterSide();
        assertThat(side.sent()).isTrue();
        return side;
    }

    @Test
    void onlyTheFirstAnswerCounts()
    {
        final RequesterSide ok = sent();
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.rejected()).isFalse();
        assertThat(ok.accepted()).isFalse();
        assertThat(ok.state()).isEqualTo(RequesterSide.State.ACCEPTED);

        final RequesterSide error = sent();
        assertThat(error.rejected()).isTrue();
        assertThat(error.accepted()).isFalse();
        assertThat(error.cancelled()).as("nothing left to tell the peer").isFalse();
    }

    @Test
    void aRequestCancelledBeforeItWentOutOwesNothingAndIsNotSent()
    {
        final RequesterSide side = new RequesterSide();
        assertThat(side.state()).isEqualTo(RequesterSide.State.QUEUED);
        assertThat(side.cancelled()).isFalse();
        assertThat(side.sent()).isFalse();
    }

    @Test
    void aCancelTellsThePeerOnceAnsweredOrNot()
    {
        final RequesterSide unanswered = sent();
        assertThat(unanswered.cancelled()).isTrue();
        assertThat(unanswered.accepted()).as("an OK after the cancel").isFalse();

        final RequesterSide accepted = sent();
        accepted.accepted();
        assertThat(accepted.cancelled()).isTrue();
        assertThat(accepted.cancelled()).isFalse();
    }

    @Test
    void aRequestStreamEndingUnansweredFailsTheRequestButNotAfterItsOk()
    {
        final RequesterSide unanswered = sent();
        assertThat(unanswered.lostUnanswered()).isTrue();
        assertThat(unanswered.state()).isEqualTo(RequesterSide.State.ENDED);

        final RequesterSide answered = sent();
        answered.accepted();
        assertThat(answered.lostUnanswered()).isFalse();
        assertThat(answered.state()).isEqualTo(RequesterSide.State.ACCEPTED);
    }

    @Test
    void thePeersEndAfterTheOkEndsItOnce()
    {
        final RequesterSide side = sent();
        side.accepted();
        assertThat(side.endedByPeer()).isTrue();
        assertThat(side.endedByPeer()).isFalse();
        assertThat(side.cancelled()).as("withdrawn after the peer ended it").isFalse();
    }
}
