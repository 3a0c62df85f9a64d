package moq.relay.session.request;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The side that answers a request and serves it, the one machine the relay's answered requests and the client's
 * answer to a FETCH run: only an unanswered request is accepted, and it ends exactly once whatever ends it.
 */
class ResponderSideTest
{
    @Test
    void anAcceptedRequestEndsOnceWhenFinishedOrCancelled()
    {
        final ResponderSide side = new ResponderSide();
        assertThat(side.state()).isEqualTo(ResponderSide.State.REQUESTED);
        assertThat(side.accepted()).isTrue();
        assertThat(side.active()).isTrue();
        assertThat(side.accepted()).as("a second OK").isFalse();
        assertThat(side.ended()).as("its stream written, or the requester's cancel").isTrue();
        assertThat(side.ended()).as("a cancel after the end frees nothing twice").isFalse();
        assertThat(side.state()).isEqualTo(ResponderSide.State.ENDED);
    }

    @Test
    void aRequestEndedBeforeItsAnswerIsNeverAccepted()
    {
        final ResponderSide side = new ResponderSide();
        assertThat(side.ended()).as("refused, or cancelled before the answer").isTrue();
        assertThat(side.accepted()).as("a late OK").isFalse();
        assertThat(side.active()).isFalse();
    }
}
