package moq.relay.wire.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The ingest's check of a publisher's properties block reaches inside Immutable Properties (0xB; draft 14's Immutable
 * Extensions): its value is a Key-Value-Pair sequence the relay reads (filters) and converts for the other drafts, so
 * one that does not parse is refused like any malformed pair (draft-21 §8.3: KEY_VALUE_FORMATTING_ERROR).
 */
class ObjectPropertiesValidationTest
{
    private static UnsafeBuffer buffer(final String hex)
    {
        return new UnsafeBuffer(Bytes.fromHex(hex.replace(" ", "")).toByteArray());
    }

    @Test
    void theIngestRefusesAnImmutableContainerWhosePairsDoNotParse()
    {
        // Draft 18: the container's one pair is an odd Type whose Length runs past the container.
        final UnsafeBuffer d18 = buffer("0b03 3d0561");
        assertThatThrownBy(() -> ObjectProperties.validate(Draft.DRAFT_18, d18, 0, d18.capacity()))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR));
        // Draft 14: a Type with no value inside the container.
        final UnsafeBuffer d14 = buffer("0b01 3c 3c01");
        assertThatThrownBy(() -> ObjectProperties.validate(Draft.DRAFT_14, d14, 0, d14.capacity()))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR));
    }

    @Test
    void wellFormedContainersPass() throws WireException
    {
        final UnsafeBuffer d18 = buffer("0264 0905 3c01 010178 36026869");
        ObjectProperties.validate(Draft.DRAFT_18, d18, 0, d18.capacity());
        final UnsafeBuffer d14 = buffer("3c4064 0b06 3e07 25026162 04c00000008257dcd3");
        ObjectProperties.validate(Draft.DRAFT_14, d14, 0, d14.capacity());
    }
}
