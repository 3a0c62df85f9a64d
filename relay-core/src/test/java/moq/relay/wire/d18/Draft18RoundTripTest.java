package moq.relay.wire.d18;

import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class Draft18RoundTripTest
{
    static Stream<Arguments> examples()
    {
        return Examples.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void decodesWhatItEncodesAndReencodesTheSameBytes(final String name, final Draft18Message message)
        throws WireException
    {
        final byte[] frame = Wire.encode(message);
        final ControlMessage decoded = Wire.decode(frame);

        assertThat(decoded).isEqualTo(message);
        assertThat(decoded.type()).isEqualTo(message.type());
        assertThat(Wire.encode(decoded)).isEqualTo(frame);
    }

    @Test
    void examplesCoverEveryMessageTypeOfTheDraft18Table()
    {
        final Set<Long> covered = Examples.all().values().stream().map(ControlMessage::type)
            .collect(Collectors.toCollection(TreeSet::new));

        assertThat(covered).containsExactlyInAnyOrder(
            MessageType.SETUP, MessageType.GOAWAY, MessageType.SUBSCRIBE, MessageType.SUBSCRIBE_OK,
            MessageType.PUBLISH, MessageType.PUBLISH_DONE, MessageType.FETCH, MessageType.FETCH_OK,
            MessageType.TRACK_STATUS, MessageType.PUBLISH_NAMESPACE, MessageType.SUBSCRIBE_NAMESPACE,
            MessageType.SUBSCRIBE_TRACKS, MessageType.NAMESPACE, MessageType.NAMESPACE_DONE,
            MessageType.PUBLISH_BLOCKED, MessageType.REQUEST_UPDATE, MessageType.REQUEST_OK,
            MessageType.REQUEST_ERROR);
    }

    @Test
    void encodingAMessageOfAnotherDraftIsRejected()
    {
        final ControlMessage foreign = () -> 0x3;

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Wire.encode(foreign))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codecSpeaksDraft18()
    {
        assertThat(Wire.CODEC.draft()).isEqualTo(Draft.DRAFT_18);
    }
}
