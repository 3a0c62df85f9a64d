package moq.relay.transport.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import moq.relay.wire.Draft;

/**
 * Session factories keyed by ALPN protocol: the one place that maps a negotiated protocol to the code that speaks
 * it ({@code moqt-18} to draft-18, {@code moqt-20} to draft-20, {@code moq-00} to draft-14, {@code h3} to WebTransport). Immutable once built, so
 * event loops read it without synchronisation.
 */
public final class SessionFactories
{
    /** ALPN of raw-QUIC draft-18 sessions. */
    public static final String MOQT_18 = Draft.DRAFT_18.alpn();
    /** ALPN of raw-QUIC draft-20 sessions. */
    public static final String MOQT_20 = Draft.DRAFT_20.alpn();
    /** ALPN of raw-QUIC draft-14 sessions. */
    public static final String MOQ_00 = Draft.DRAFT_14.alpn();
    /** ALPN of HTTP/3, which carries WebTransport sessions. */
    public static final String H3 = "h3";

    private final Map<String, SessionFactory> byAlpn;

    private SessionFactories(final Map<String, SessionFactory> byAlpn)
    {
        this.byAlpn = Map.copyOf(byAlpn);
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** The factory for a negotiated protocol, or null when none is registered. */
    public SessionFactory forAlpn(final String alpn)
    {
        return alpn == null ? null : byAlpn.get(alpn);
    }

    public Set<String> protocols()
    {
        return byAlpn.keySet();
    }

    public static final class Builder
    {
        private final Map<String, SessionFactory> byAlpn = new LinkedHashMap<>();

        private Builder()
        {
        }

        /** Registers the factory for one ALPN protocol; a protocol can be registered once. */
        public Builder register(final String alpn, final SessionFactory factory)
        {
            Objects.requireNonNull(alpn, "alpn");
            Objects.requireNonNull(factory, "factory");
            if (byAlpn.putIfAbsent(alpn, factory) != null)
            {
                throw new IllegalStateException("a session factory is already registered for ALPN " + alpn);
            }
            return this;
        }

        public SessionFactories build()
        {
            return new SessionFactories(byAlpn);
        }
    }
}
