package moq.relay.fanout;

import org.agrona.DirectBuffer;

import moq.relay.store.TrackLog;
import moq.relay.wire.data.PropertiesTranscoder;

/**
 * One egress loop's view of an object's properties as the writer at hand reads them: the log's bytes when the writer
 * reads the encoding they are in, else their conversion ({@link PropertiesTranscoder}) in the loop's one preallocated
 * buffer. Set by {@link #of} just before the writer call, valid during that call only (writers copy properties into
 * the object header they encode). A block whose conversion exceeds the budget
 * ({@code moq.relay.egress.properties.conversion.bytes}) is left out: the object goes without properties and is
 * counted ({@link EgressCounters#propertiesDropped()}), its payload unaffected. No allocation; loop thread only.
 */
final class WriterProperties
{
    private final PropertiesTranscoder transcoder;
    private final EgressCounters counters;
    private long pairsDropped;
    /** The properties to hand the writer: {@code buffer} from {@code offset}, {@code length} bytes. */
    DirectBuffer buffer;
    int offset;
    int length;

    WriterProperties(final int budget, final EgressCounters counters)
    {
        this.transcoder = new PropertiesTranscoder(budget);
        this.counters = counters;
    }

    /** The properties of the object record at {@code off} of {@code b} for a writer with these traits. */
    void of(final DirectBuffer b, final int off, final PropertiesEncoding target, final boolean readsRelayProperties)
    {
        of(b, off + TrackLog.HEADER_LENGTH, TrackLog.propertiesLength(b, off), TrackLog.isDraft14Properties(b, off),
            TrackLog.hasRelayProperties(b, off), target, readsRelayProperties);
    }

    /**
     * The block {@code [propertiesOffset, +propertiesLength)} of {@code b}, in draft 14's encoding if
     * {@code draft14}, else draft 18's; {@code relay}: the relay wrote them (given only to writers that read them).
     */
    void of(final DirectBuffer b, final int propertiesOffset, final int propertiesLength, final boolean draft14,
        final boolean relay, final PropertiesEncoding target, final boolean readsRelayProperties)
    {
        buffer = b;
        offset = propertiesOffset;
        length = relay && !readsRelayProperties ? 0 : propertiesLength;
        if (length == 0 || target == PropertiesEncoding.AS_STORED ||
            (target == PropertiesEncoding.DRAFT_14) == draft14)
        {
            return;
        }
        final int n = draft14 ? transcoder.toDraft18(b, propertiesOffset, propertiesLength) :
            transcoder.toDraft14(b, propertiesOffset, propertiesLength);
        if (transcoder.pairsDropped() != pairsDropped)
        {
            counters.propertyPairsDropped(transcoder.pairsDropped() - pairsDropped);
            pairsDropped = transcoder.pairsDropped();
        }
        if (n == PropertiesTranscoder.FAILED)
        {
            counters.objectPropertiesDropped();
            length = 0;
            return;
        }
        counters.objectPropertiesConverted();
        buffer = transcoder.buffer();
        offset = 0;
        length = n;
    }
}
