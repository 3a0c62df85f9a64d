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
    int soSndbuf)
{
    public static QuicSettings fromSystemProperties()
    {
        return new QuicSettings(
            RelayConfiguration.quicIdleTimeout(),
            RelayConfiguration.quicInitialMaxData(),
            RelayConfiguration.quicInitialMaxStreamDataBidiLocal(),
            RelayConfiguration.quicInitialMaxStreamDataBidiRemote(),
            RelayConfiguration.quicInitialMaxStreamDataUni(),
            RelayConfiguration.quicInitialMaxStreamsBidi(),
            RelayConfiguration.quicInitialMaxStreamsUni(),
            RelayConfiguration.quicCongestionControl(),
            RelayConfiguration.quicMaxSendUdpPayloadSize(),
            RelayConfiguration.quicMaxRecvUdpPayloadSize(),
            RelayConfiguration.quicDatagramRecvQueue(),
            RelayConfiguration.quicDatagramSendQueue(),
            RelayConfiguration.quicGso(),
            RelayConfiguration.quicGsoSegments(),
            RelayConfiguration.quicGro(),
            RelayConfiguration.udpReceiveAllocation(),
            RelayConfiguration.udpSoRcvbuf(),
            RelayConfiguration.udpSoSndbuf());
    }
}
