package moq.relay.transport.webtransport;

import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.http3.Http3SettingsFrame;

/**
 * The HTTP/3 SETTINGS a WebTransport server sends. Every WebTransport draft's codepoint is advertised, as the
 * drafts allow (draft-ietf-webtrans-http3-16 7.1), because clients look for different ones: Chromium (draft-02)
 * rejects the session with ERR_METHOD_NOT_SUPPORTED unless both H3_DATAGRAM 0x33 and ENABLE_WEBTRANSPORT
 * 0x2b603742 are present; Chromium with draft-07 enabled looks for 0xc671706a; draft-13 clients (Flupke) require
 * WT_MAX_SESSIONS 0x14e9cd29 > 0; draft-16 clients look for WT_ENABLED 0x2c7cf000.
 *
 * <p>The draft-16 flow-control settings (WT_INITIAL_MAX_*) are deliberately not sent: sending them enables
 * WebTransport flow control, whose capsules this server does not implement yet.
 */
final class WebTransportHttp3Settings
{
    /** RFC 9297 2.1.1. */
    static final long H3_DATAGRAM = 0x33;
    /** Draft-02 SETTINGS_ENABLE_WEBTRANSPORT. */
    static final long ENABLE_WEBTRANSPORT_DRAFT02 = 0x2b603742L;
    /** Drafts 07-12 SETTINGS_WEBTRANSPORT_MAX_SESSIONS. */
    static final long WEBTRANSPORT_MAX_SESSIONS_DRAFT07 = 0xc671706aL;
    /** Drafts 13-14 SETTINGS_WT_MAX_SESSIONS. */
    static final long WT_MAX_SESSIONS_DRAFT13 = 0x14e9cd29L;
    /** Draft-16 SETTINGS_WT_ENABLED. */
    static final long WT_ENABLED_DRAFT16 = 0x2c7cf000L;

    /** Accepts every non-standard setting, in both directions: netty drops the ones a validator refuses. */
    static final Http3Settings.NonStandardHttp3SettingsValidator ACCEPT_ALL = (id, value) -> true;

    private WebTransportHttp3Settings()
    {
    }

    static Http3SettingsFrame frame(final int maxSessions)
    {
        final Http3Settings settings = new Http3Settings(ACCEPT_ALL)
            .qpackMaxTableCapacity(0)
            .qpackBlockedStreams(0)
            .enableConnectProtocol(true)
            .enableH3Datagram(true);
        settings.put(ENABLE_WEBTRANSPORT_DRAFT02, 1L);
        settings.put(WEBTRANSPORT_MAX_SESSIONS_DRAFT07, (long)maxSessions);
        settings.put(WT_MAX_SESSIONS_DRAFT13, (long)maxSessions);
        settings.put(WT_ENABLED_DRAFT16, 1L);
        return new DefaultHttp3SettingsFrame(settings);
    }
}
