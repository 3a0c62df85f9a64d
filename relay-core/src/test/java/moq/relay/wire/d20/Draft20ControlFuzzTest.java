package moq.relay.wire.d20;

import com.code_intelligence.jazzer.junit.FuzzTest;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.FuzzSeedCorpus;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes a draft-20 control (or request) stream: the input is the stream's bytes, cut into frames as
 * {@code ControlMessageReader} does. Each frame decodes to a message that re-encodes and decodes to itself, or fails
 * with a {@link WireException} that is not the INTERNAL_ERROR safety net; the checks the session applies to a
 * decoded message (SETUP and GOAWAY by role, REQUEST_OK and REQUEST_UPDATE by the request they answer, redirects)
 * may only raise a WireException too, and the Range Filter check ({@code rangeFilterProblem}) never throws. Seeds: every message of {@link Examples}; see docs/fuzzing.md.
 */
class Draft20ControlFuzzTest
{
    @FuzzTest(maxDuration = "20s")
    void controlStream(final byte[] stream)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(stream);
        int position = 0;
        while (position < stream.length)
        {
            final int length = ControlFramer.frameLength(MoqtVarint.INSTANCE, buffer, position, stream.length - position);
            if (length == ControlFramer.NEED_MORE)
            {
                return;
            }
            final byte[] frame = Arrays.copyOfRange(stream, position, position + length);
            position += length;
            Draft20PropertyTest.assertDecodesCleanly(frame);
            final ControlMessage message;
            try
            {
                message = Wire.decode(frame);
            }
            catch (final WireException e)
            {
                return; // the session closes: nothing after this frame is read
            }
            sessionChecksRaiseOnlyWireExceptions(message);
        }
    }

    private static void sessionChecksRaiseOnlyWireExceptions(final ControlMessage message)
    {
        if (message instanceof Setup setup)
        {
            check(setup::validateReceivedByServer);
            check(setup::validateReceivedByClient);
        }
        else if (message instanceof Goaway goaway)
        {
            check(goaway::validateReceivedByServer);
        }
        else if (message instanceof RequestOk ok)
        {
            for (final ParameterContext context : ParameterContext.values())
            {
                check(() -> ok.validateAs(context));
            }
        }
        else if (message instanceof RequestUpdate update)
        {
            for (final ParameterContext context : ParameterContext.values())
            {
                check(() -> update.validateAs(context));
            }
        }
        if (message instanceof Draft20Message)
        {
            rangeFiltersCheckWithoutThrowing(message);
        }
        if (message instanceof RequestError error && error.redirect() != null)
        {
            check(error.redirect()::validateReceivedByServer);
            check(error.redirect()::validateForNamespaceRequest);
        }
    }

    private static void rangeFiltersCheckWithoutThrowing(final ControlMessage message)
    {
        final MessageParameters parameters;
        if (message instanceof Subscribe m)
        {
            parameters = m.parameters();
        }
        else if (message instanceof Fetch m)
        {
            parameters = m.parameters();
        }
        else if (message instanceof SubscribeTracks m)
        {
            parameters = m.parameters();
        }
        else if (message instanceof RequestUpdate m)
        {
            parameters = m.parameters();
        }
        else if (message instanceof Publish m)
        {
            parameters = m.parameters();
        }
        else
        {
            return;
        }
        for (final long max : new long[]{0, 1, 16, -1L})
        {
            parameters.rangeFilterProblem(max);
        }
        for (final RangeFilter f : parameters.rangeFilters())
        {
            if (f.problem() == null)
            {
                assertThat(f.ranges()).hasSize(f.rangeCount());
            }
        }
    }

    private interface Check
    {
        void run() throws WireException;
    }

    private static void check(final Check check)
    {
        try
        {
            check.run();
        }
        catch (final WireException e)
        {
            assertThat(e.error()).as(e.toString()).isNotEqualTo(SessionError.INTERNAL_ERROR);
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
        Examples.all().forEach((name, message) -> seeds.put(name, Wire.encode(message)));
        return seeds;
    }
}
