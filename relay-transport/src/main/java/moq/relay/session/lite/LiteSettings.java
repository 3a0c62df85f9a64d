package moq.relay.session.lite;

import java.util.function.Consumer;
import moq.relay.auth.Authorizer;
import moq.relay.auth.NoAuth;
import moq.relay.engine.MemoryBudget;

/**
 * What a moq-lite session takes from the relay's configuration (built by {@code MoqtSessions} from the same
 * {@code moq.relay.session.*} and {@code moq.relay.auth.*} settings as the MoQT sessions).
 *
 * @param maxGatheredBytes bytes one session's Group Streams may gather ({@code moq.relay.session.max.gathered.bytes})
 * @param maxControlBytes  bytes one session's control-stream decoders may hold ({@code moq.relay.session.max.control.bytes})
 * @param controlBytes     the relay-wide control-byte budget, parent of each session's
 * @param publishDoneGraceMillis how long Group Streams may land after the publisher ended a track
 *                         ({@code moq.relay.session.publish.done.grace})
 * @param maxBroadcasts    broadcasts one moq-lite publisher may announce, and announcements one ANNOUNCE_PLEASE
 *                         may be sent (beyond: the extra ones are not published, or not sent)
 *                         ({@code moq.relay.lite.max.broadcasts})
 * @param authorizer       what every session consults at its start and per announce and subscribe (docs/auth.md)
 * @param webTransportPath the relay's WebTransport path: the connection path is what follows it
 * @param maxAuthTokenBytes longest token accepted ({@code moq.relay.auth.max.token.bytes})
 * @param authRefusals     told each authorization refusal's failure (metrics), never a token
 * @param setupTimeoutMillis how long a raw-QUIC lite-05 session with authorization on may go without the peer's SETUP,
 *                         whose Path opens its authorization ({@code moq.relay.session.setup.timeout})
 */
public record LiteSettings(long maxGatheredBytes, long maxControlBytes, MemoryBudget controlBytes,
    long publishDoneGraceMillis, int maxBroadcasts, Authorizer authorizer, String webTransportPath,
    int maxAuthTokenBytes, Consumer<String> authRefusals, long setupTimeoutMillis)
{
    /** Without authorization ({@link NoAuth}). */
    public LiteSettings(final long maxGatheredBytes, final long maxControlBytes, final MemoryBudget controlBytes,
        final long publishDoneGraceMillis, final int maxBroadcasts)
    {
        this(maxGatheredBytes, maxControlBytes, controlBytes, publishDoneGraceMillis, maxBroadcasts, NoAuth.INSTANCE,
            "/moq", 4096, reason -> { }, 10_000);
    }
}
