package moq.relay.transport.quic;

import java.time.Duration;

import moq.relay.config.RelayConfiguration;
import moq.relay.config.RelayConfiguration.CongestionControl;

/** QUIC transport parameters and UDP socket tuning: a snapshot of {@link RelayConfiguration}. */
public record QuicSettings(
    Duration idleTimeout,
    long initialMaxData,
    long initialMaxStreamDataBidiLocal,
    long initialMaxStreamDataBidiRemote,
    long initialMaxStreamDataUni,
    long initialMaxStreamsBidi,
    long initialMaxStreamsUni,
    CongestionControl congestionControl,
    int maxSendUdpPayloadSize,
    int maxRecvUdpPayloadSize,
    int datagramRecvQueue,
    int datagramSendQueue,
    boolean gso,
    int gsoSegments,
    boolean gro,
    int udpReceiveAllocation,
    int soRcvbuf,
    int soSndbuf,
    String qlogDir)
{
    public static QuicSettings from(final RelayConfiguration config)
    {
        return new QuicSettings(
            config.quicIdleTimeout(),
            config.quicInitialMaxData(),
            config.quicInitialMaxStreamDataBidiLocal(),
            config.quicInitialMaxStreamDataBidiRemote(),
            config.quicInitialMaxStreamDataUni(),
            config.quicInitialMaxStreamsBidi(),
            config.quicInitialMaxStreamsUni(),
            config.quicCongestionControl(),
            config.quicMaxSendUdpPayloadSize(),
            config.quicMaxRecvUdpPayloadSize(),
            config.quicDatagramRecvQueue(),
            config.quicDatagramSendQueue(),
            config.quicGso(),
            config.quicGsoSegments(),
            config.quicGro(),
            config.udpReceiveAllocation(),
            config.udpSoRcvbuf(),
            config.udpSoSndbuf(),
            config.quicQlogDir());
    }

    /** The settings of the system properties ({@link RelayConfiguration#load()}). */
    public static QuicSettings fromSystemProperties()
    {
        return from(RelayConfiguration.load());
    }

    /** Whether quiche writes a qlog trace per connection ({@code moq.relay.quic.qlog.dir}). */
    public boolean qlog()
    {
        return qlogDir != null && !qlogDir.isEmpty();
    }

}
