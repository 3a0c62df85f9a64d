package moq.relay.session;

import moq.relay.engine.RequestKind;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Fetch;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.SubscribeNamespace;
import moq.relay.wire.d18.SubscribeTracks;
import moq.relay.wire.d18.TrackStatus;
import moq.relay.wire.param.Properties;
import moq.relay.wire.param.Records;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kind of a request the session counts when it refuses one before the engine (request metrics) is what its
 * dialect read, by type: every request-stream request names its own, and a refusal the kind it refuses.
 */
class RequestKindTest
{
    private static final TrackNamespace NS = TrackNamespace.of("room");
    private static final Bytes NAME = Bytes.utf8("video");
    private static final Records<?> RECORDS = Draft18ControlCodec.RECORDS;

    private static RequestKind kind(final RequestStreamDialect dialect, final ControlMessage m) throws Exception
    {
        return ((RequestMessage.Opening)dialect.read(m, PeerQuirks.NONE)).kind();
    }

    @Test
    void everyDraft18RequestNamesItsKind() throws Exception
    {
        final RequestStreamDialect d = Draft18Dialect.INSTANCE;
        assertThat(kind(d, RECORDS.subscribe(0, NS, NAME))).isEqualTo(RequestKind.SUBSCRIBE);
        assertThat(kind(d, RECORDS.publish(2, NS, NAME, 1, Properties.EMPTY))).isEqualTo(RequestKind.PUBLISH);
        assertThat(kind(d, RECORDS.publishNamespace(4, NS))).isEqualTo(RequestKind.PUBLISH_NAMESPACE);
        assertThat(kind(d, new TrackStatus(6, NS, NAME, MessageParameters.of())))
            .isEqualTo(RequestKind.TRACK_STATUS);
        assertThat(kind(d, new SubscribeNamespace(8, NS, MessageParameters.of())))
            .isEqualTo(RequestKind.SUBSCRIBE_NAMESPACE);
        assertThat(kind(d, new SubscribeTracks(10, NS, MessageParameters.of())))
            .isEqualTo(RequestKind.SUBSCRIBE_TRACKS);
        assertThat(kind(d, Fetch.standalone(12, NS, NAME, Location.ZERO, new Location(1, 0), MessageParameters.of())))
            .isEqualTo(RequestKind.FETCH);
    }

    @Test
    void aRefusalNamesTheKindItRefuses() throws Exception
    {
        // Draft 20 serves no FETCH range relative to the Largest Object: refused by the dialect, counted as a FETCH.
        final ControlMessage relative = new moq.relay.wire.d20.Fetch(2, NS, NAME, moq.relay.wire.d20.MessageParameters
            .of(new moq.relay.wire.d20.Parameter.LocationFilterParameter(
                moq.relay.wire.d20.LocationFilter.relativeStartGroup(1))));
        final RequestMessage refused = Draft20Dialect.INSTANCE.read(relative, PeerQuirks.NONE);
        assertThat(refused).isInstanceOf(RequestMessage.Refused.class);
        assertThat(((RequestMessage.Opening)refused).kind()).isEqualTo(RequestKind.FETCH);
    }
}
