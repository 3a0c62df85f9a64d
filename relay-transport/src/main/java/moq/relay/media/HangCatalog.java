package moq.relay.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A hang broadcast's {@code catalog.json} (draft-lcurley-moq-hang, Catalog): the video and audio renditions, each a
 * track name and its WebCodecs decoder configuration. Written as moq-dev's {@code @moq/hang} catalog schema reads it:
 * {@code {"video":{"renditions":{NAME:{codec,description,codedWidth,codedHeight}},"priority",..,"display"},
 * "audio":{"renditions":{NAME:{codec,description,sampleRate,numberOfChannels}},"priority"}}}, descriptions in hex.
 * The {@code container} field is left out: its default is the "legacy" container ({@link HangFrame}), and older
 * schema versions spell it differently.
 */
public record HangCatalog(List<Rendition> video, List<Rendition> audio)
{
    /** Catalog priorities, in the order moq-dev's watcher ranks tracks (audio before video). */
    static final int VIDEO_PRIORITY = 60;
    static final int AUDIO_PRIORITY = 80;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One rendition (one track).
     *
     * @param description WebCodecs {@code description} (avcC, AudioSpecificConfig), or null.
     */
    public record Rendition(String track, String codec, byte[] description, int width, int height, int sampleRate,
        int channels)
    {
    }

    /** The catalog of an fMP4 init segment's tracks; {@code names} maps each track id to its MoQT track name. */
    public static HangCatalog of(final List<Mp4Track> tracks, final Map<Integer, String> names)
    {
        final List<Rendition> video = new ArrayList<>();
        final List<Rendition> audio = new ArrayList<>();
        for (final Mp4Track t : tracks)
        {
            final String name = names.get(t.trackId());
            if (name == null)
            {
                continue;
            }
            final Rendition r = new Rendition(name, t.codec(), t.description(), t.width(), t.height(), t.sampleRate(),
                t.channels());
            (t.kind() == Mp4Track.Kind.VIDEO ? video : audio).add(r);
        }
        return new HangCatalog(List.copyOf(video), List.copyOf(audio));
    }

    public byte[] toJson()
    {
        final ObjectNode root = JSON.createObjectNode();
        if (!video.isEmpty())
        {
            final ObjectNode v = root.putObject("video");
            final ObjectNode renditions = v.putObject("renditions");
            for (final Rendition r : video)
            {
                final ObjectNode c = renditions.putObject(r.track());
                c.put("codec", r.codec());
                if (r.description() != null)
                {
                    c.put("description", HexFormat.of().formatHex(r.description()));
                }
                c.put("codedWidth", r.width());
                c.put("codedHeight", r.height());
                c.put("optimizeForLatency", true);
            }
            v.put("priority", VIDEO_PRIORITY);
            v.putObject("display").put("width", video.get(0).width()).put("height", video.get(0).height());
        }
        if (!audio.isEmpty())
        {
            final ObjectNode a = root.putObject("audio");
            final ObjectNode renditions = a.putObject("renditions");
            for (final Rendition r : audio)
            {
                final ObjectNode c = renditions.putObject(r.track());
                c.put("codec", r.codec());
                if (r.description() != null)
                {
                    c.put("description", HexFormat.of().formatHex(r.description()));
                }
                c.put("sampleRate", r.sampleRate());
                c.put("numberOfChannels", r.channels());
            }
            a.put("priority", AUDIO_PRIORITY);
        }
        try
        {
            return JSON.writeValueAsBytes(root);
        }
        catch (final IOException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a catalog; renditions in a container other than "legacy" are left out (this reader cannot unpack
     * them). Throws {@link IllegalArgumentException} saying what is wrong when the JSON does not fit the schema.
     */
    public static HangCatalog parse(final byte[] json)
    {
        final JsonNode root;
        try
        {
            root = JSON.readTree(json);
        }
        catch (final IOException e)
        {
            throw new IllegalArgumentException("catalog is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject())
        {
            throw new IllegalArgumentException("catalog is not a JSON object");
        }
        return new HangCatalog(renditions(root.path("video"), true), renditions(root.path("audio"), false));
    }

    private static List<Rendition> renditions(final JsonNode section, final boolean video)
    {
        final List<Rendition> out = new ArrayList<>();
        final JsonNode renditions = section.path("renditions");
        if (section.isMissingNode() || section.isNull())
        {
            return out;
        }
        if (!renditions.isObject())
        {
            throw new IllegalArgumentException("catalog: " + (video ? "video" : "audio") + " has no renditions map");
        }
        final Iterator<Map.Entry<String, JsonNode>> it = renditions.fields();
        while (it.hasNext())
        {
            final Map.Entry<String, JsonNode> e = it.next();
            final JsonNode c = e.getValue();
            final JsonNode container = c.path("container");
            final String kind = container.isObject() ? container.path("kind").asText("legacy") :
                container.asText("legacy");
            if (!c.path("codec").isTextual())
            {
                throw new IllegalArgumentException("catalog: rendition " + e.getKey() + " has no codec");
            }
            if (!kind.equals("legacy"))
            {
                continue;
            }
            byte[] description = null;
            if (c.path("description").isTextual())
            {
                try
                {
                    description = HexFormat.of().parseHex(c.path("description").asText());
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException("catalog: rendition " + e.getKey() +
                        " description is not hex");
                }
            }
            out.add(new Rendition(e.getKey(), c.path("codec").asText(), description, c.path("codedWidth").asInt(),
                c.path("codedHeight").asInt(), c.path("sampleRate").asInt(), c.path("numberOfChannels").asInt()));
        }
        return List.copyOf(out);
    }
}
