package moq.relay.media;

/**
 * AAC's decoder configuration: the AudioSpecificConfig inside an {@code esds} box (ISO/IEC 14496-1 descriptors), the
 * WebCodecs codec string {@code mp4a.40.N} derived from it, and the {@code esds} box the muxer writes back.
 */
final class AacConfig
{
    private static final int[] SAMPLE_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
        11025, 8000, 7350};

    private AacConfig()
    {
    }

    /** The DecoderSpecificInfo bytes of an {@code esds} box's ES_Descriptor. */
    static byte[] audioSpecificConfig(final BoxCursor esds) throws Mp4FormatException
    {
        esds.skip(4);
        expectTag(esds, 0x03);
        descriptorLength(esds);
        esds.skip(2);
        final int flags = esds.u8();
        if ((flags & 0x80) != 0)
        {
            esds.skip(2);
        }
        if ((flags & 0x40) != 0)
        {
            esds.skip(esds.u8());
        }
        if ((flags & 0x20) != 0)
        {
            esds.skip(2);
        }
        expectTag(esds, 0x04);
        descriptorLength(esds);
        final int objectType = esds.u8();
        if (objectType != 0x40)
        {
            throw new Mp4FormatException("esds: object type 0x" + Integer.toHexString(objectType) +
                " is not MPEG-4 audio (0x40)");
        }
        esds.skip(1 + 3 + 4 + 4);
        expectTag(esds, 0x05);
        final int length = descriptorLength(esds);
        if (length < 2)
        {
            throw new Mp4FormatException("esds: AudioSpecificConfig of " + length + " bytes");
        }
        return esds.bytes(length);
    }

    static String codec(final byte[] asc)
    {
        return "mp4a.40." + objectType(asc);
    }

    static int sampleRate(final byte[] asc, final int fallback)
    {
        final int index = ((asc[0] & 0x07) << 1) | ((asc[1] & 0xff) >> 7);
        return objectType(asc) < 31 && index < SAMPLE_RATES.length ? SAMPLE_RATES[index] : fallback;
    }

    static int channels(final byte[] asc, final int fallback)
    {
        final int configuration = (asc[1] >> 3) & 0x0f;
        return objectType(asc) < 31 && configuration > 0 && configuration < 8 ? configuration : fallback;
    }

    private static int objectType(final byte[] asc)
    {
        final int type = (asc[0] & 0xff) >> 3;
        return type == 31 ? 32 + (((asc[0] & 0x07) << 3) | ((asc[1] & 0xff) >> 5)) : type;
    }

    /** An {@code esds} box payload (version/flags and ES_Descriptor) carrying {@code asc}. */
    static byte[] esdsPayload(final byte[] asc)
    {
        final int decoderSpecific = 2 + asc.length;
        final int decoderConfig = 2 + 13 + decoderSpecific;
        final int es = 2 + 3 + decoderConfig + 3;
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + es);
        b.putInt(0);
        b.put((byte)0x03).put((byte)(es - 2)).putShort((short)1).put((byte)0);
        b.put((byte)0x04).put((byte)(decoderConfig - 2)).put((byte)0x40).put((byte)0x15)
            .put(new byte[3]).putInt(0).putInt(0);
        b.put((byte)0x05).put((byte)asc.length).put(asc);
        b.put((byte)0x06).put((byte)1).put((byte)2);
        return b.array();
    }

    private static void expectTag(final BoxCursor c, final int tag) throws Mp4FormatException
    {
        final int got = c.u8();
        if (got != tag)
        {
            throw new Mp4FormatException("esds: expected descriptor tag 0x" + Integer.toHexString(tag) + ", got 0x" +
                Integer.toHexString(got));
        }
    }

    /** The expandable length of ISO/IEC 14496-1 (up to four bytes of seven bits). */
    private static int descriptorLength(final BoxCursor c) throws Mp4FormatException
    {
        int length = 0;
        for (int i = 0; i < 4; i++)
        {
            final int b = c.u8();
            length = length << 7 | b & 0x7f;
            if ((b & 0x80) == 0)
            {
                return length;
            }
        }
        throw new Mp4FormatException("esds: descriptor length longer than four bytes");
    }
}
