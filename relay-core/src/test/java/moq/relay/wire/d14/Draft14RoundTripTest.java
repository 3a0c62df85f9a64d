package moq.relay.wire.d14;

import moq.relay.wire.ControlFramer;
import moq.relay.wire.Draft;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Draft14RoundTripTest
{
    private static final Draft14ControlCodec CODEC = Draft14ControlCodec.INSTANCE;

    static Stream<Arguments> examples()
    {
        return D14Examples.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void decodesToAnEqualMessageAndReencodesToTheSameBytes(final String name, final Draft14Message message)
        throws Exception
    {
        final byte[] frame = CODEC.encodeToBytes(message);

        final Draft14Message decoded = CODEC.decode(frame);

        assertThat(decoded).isEqualTo(message);
        assertThat(decoded.type()).isEqualTo(message.messageType().code());
        assertThat(CODEC.encodeToBytes(decoded)).isEqualTo(frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void framerSeesExactlyOneWholeMessage(final String name, final Draft14Message message)
    {
        final byte[] frame = CODEC.encodeToBytes(message);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);

        assertThat(ControlFramer.frameLength(Draft.DRAFT_14.varint(), buffer, 0, frame.length)).isEqualTo(frame.length);
        assertThat(ControlFramer.frameLength(Draft.DRAFT_14.varint(), buffer, 0, frame.length - 1))
            .isEqualTo(ControlFramer.NEED_MORE);
    }

    @Test
    void examplesCoverEveryMessageType()
    {
        final Set<MessageType> covered = EnumSet.noneOf(MessageType.class);
        D14Examples.all().values().forEach(m -> covered.add(m.messageType()));

        assertThat(covered).containsExactlyInAnyOrder(MessageType.values());
    }

    @Test
    void examplesCoverEveryFilterAndFetchType()
    {
        final Set<FilterType> filters = EnumSet.noneOf(FilterType.class);
        final Set<FetchType> fetches = EnumSet.noneOf(FetchType.class);
        for (final Draft14Message m : D14Examples.all().values())
        {
            if (m instanceof Subscribe)
            {
                filters.add(((Subscribe)m).filter().type());
            }
            if (m instanceof Fetch)
            {
                fetches.add(((Fetch)m).fetchType());
            }
        }

        assertThat(filters).containsExactlyInAnyOrder(FilterType.values());
        assertThat(fetches).containsExactlyInAnyOrder(FetchType.values());
    }

    @Test
    void locallyBuiltMessageOverTheFramingLimitIsRefusedOnEncode()
    {
        final Long[] versions = new Long[10_000];
        Arrays.fill(versions, D14Examples.MAX); // 8 bytes each: 80,000 bytes of payload
        final ClientSetup tooBig = new ClientSetup(List.of(versions), SetupParameters.EMPTY);

        assertThatThrownBy(() -> CODEC.encodeToBytes(tooBig))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageTypeCodesMatchTheDraftTable()
    {
        for (final MessageType t : MessageType.values())
        {
            assertThat(MessageType.ofCode(t.code())).isSameAs(t);
        }
        assertThat(MessageType.ofCode(0x01)).as("SETUP of version 00 is reserved").isNull();
        assertThat(MessageType.ofCode(0x40)).isNull();
        assertThat(MessageType.ofCode(0x41)).isNull();
        assertThat(MessageType.ofCode(-1)).isNull();
    }
}
