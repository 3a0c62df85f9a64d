package moq.relay.wire.d14;

import com.code_intelligence.jazzer.junit.FuzzTest;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.FuzzSeedCorpus;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes a draft-14 control stream: the input is the stream's bytes, cut into frames as {@code ControlMessageReader}
 * does. Each frame decodes to a message that re-encodes and decodes to itself, or fails with a {@link WireException};
 * version negotiation on a decoded CLIENT_SETUP / SERVER_SETUP may only raise a WireException too. Seeds: every
 * message of {@link D14Examples}; see docs/fuzzing.md.
 */
class Draft14ControlFuzzTest
{
    /** What this relay offers as a client, for checking a SERVER_SETUP's selection. */
    private static final ClientSetup OFFER = new ClientSetup(List.of(VersionNegotiation.DRAFT_14_VERSION),
        SetupParameters.EMPTY);

    @FuzzTest(maxDuration = "20s")
    void controlStream(final byte[] stream)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(stream);
        int position = 0;
        while (position < stream.length)
        {
            final int length = ControlFramer.frameLength(QuicVarint.INSTANCE, buffer, position, stream.length - position);
            if (length == ControlFramer.NEED_MORE)
            {
                return;
            }
            final byte[] frame = Arrays.copyOfRange(stream, position, position + length);
            position += length;
            Draft14CodecProperties.assertDecodesOrFailsCleanly(frame);
            final Draft14Message message;
            try
            {
                message = D14Frames.CODEC.decode(frame);
            }
            catch (final WireException e)
            {
                return; // the session closes: nothing after this frame is read
            }
            try
            {
                if (message instanceof ClientSetup setup)
                {
                    VersionNegotiation.select(setup);
                }
                else if (message instanceof ServerSetup setup)
                {
                    VersionNegotiation.checkSelected(OFFER, setup);
                }
            }
            catch (final WireException e)
            {
                assertThat(e.error()).as(e.toString()).isEqualTo(SessionError.VERSION_NEGOTIATION_FAILED);
            }
        }
    }

    /** Regenerates the committed seed corpus (docs/fuzzing.md); skipped unless -Dfuzz.writeSeeds=true. */
    @Test
    @EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
    void writeSeedCorpus()
    {
        FuzzSeedCorpus.write(getClass(), "controlStream", seeds());
    }

    /** The seed corpus: one framed example of every message, by file name. */
    static Map<String, byte[]> seeds()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        D14Examples.all().forEach((name, message) -> seeds.put(name, D14Frames.CODEC.encodeToBytes(message)));
        return seeds;
    }
}
