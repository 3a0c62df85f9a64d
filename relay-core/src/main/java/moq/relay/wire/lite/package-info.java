/**
 * moq-lite wire codecs: versions 03 (from {@code draft-lcurley-moq-lite-03}), 04 and 05 (the later texts in the
 * public {@code moq-dev/drafts} repository, as the pinned browser library {@code @moq/net} 0.3.4 implements them).
 * The relay's moq-lite dialect (not here: the session layer) is built on these; the mapping it is to use between
 * moq-lite and MoQT is proposed at the end of this page and in {@code docs/moq-lite.md}.
 *
 * <h2>Shape</h2>
 * <ul>
 *   <li>{@link moq.relay.wire.lite.LiteVersion}: the version is the ALPN / {@code wt-protocol} token; one predicate
 *       per encoding a later version changed.</li>
 *   <li>Control messages are records ({@link moq.relay.wire.lite.LiteMessage}); moq-lite messages carry no type, so
 *       {@link moq.relay.wire.lite.LiteControlStreamDecoder} reads one side of one stream
 *       ({@link moq.relay.wire.lite.LiteStreamSide}) in the order the text allows, chunk by chunk, and
 *       {@link moq.relay.wire.lite.LiteCodec} encodes and decodes single messages.</li>
 *   <li>The data plane, {@link moq.relay.wire.lite.LiteFrameDecoder} (Group Streams, Fetch replies) and
 *       {@link moq.relay.wire.lite.LiteFrameEncoder}, {@link moq.relay.wire.lite.LiteDatagram}, allocates nothing per
 *       frame and reports payload as views, like {@code moq.relay.wire.data.DataStreamDecoder}: the one copy of a
 *       payload is the ingest's write into the track log.</li>
 *   <li>Malformed input raises {@link moq.relay.wire.WireException} with PROTOCOL_VIOLATION; every length and count
 *       is checked against the bytes present (and the configured bound) before it sizes anything; split headers and
 *       messages are gathered in scratch that grows with the bytes received, charged to a
 *       {@link moq.relay.wire.data.BufferBudget}; a refused growth abandons the stream.</li>
 * </ul>
 *
 * <h2>Versions</h2>
 * <table>
 *   <caption>What changed after moq-lite-03</caption>
 *   <tr><th>version</th><th>change</th></tr>
 *   <tr><td>04</td><td>PROBE gains {@code RTT (i)} (ms, 0 unknown); ANNOUNCE's Hops becomes a count and that many
 *       origin ids; ANNOUNCE_PLEASE gains {@code Exclude Hop (i)}; Goaway Stream 0x5 with GOAWAY {@code URI (s)}.</td></tr>
 *   <tr><td>05</td><td>unidirectional Setup Stream 0x1 with SETUP (parameters {@code count, (id, length, value)*},
 *       at most 64, no duplicates); the Announce reply starts with ANNOUNCE_OK {@code origin, active count} and
 *       ANNOUNCE status 2 (restart) is accepted; Subscribe replies are SUBSCRIBE_START 0x0 {@code group},
 *       SUBSCRIBE_END 0x1 {@code group} (exclusive), SUBSCRIBE_DROP 0x2 (SUBSCRIBE_OK is gone); Track Stream 0x6:
 *       TRACK {@code broadcast, track}, TRACK_INFO {@code priority, ordered, max latency, timescale != 0}; every FRAME
 *       (group streams and fetch replies) is preceded by a zigzag timestamp delta; single-frame groups as QUIC
 *       datagrams {@code subscribe, sequence, timestamp, payload}.</td></tr>
 * </table>
 *
 * <h2>Decisions where the text is silent or the library differs</h2>
 * <ul>
 *   <li>04 and 05 follow {@code @moq/net} 0.3.4 where the {@code moq-dev/drafts} texts have moved on (the repository's
 *       current lite-05 text already renames fields, adds a frame duration and makes Group Start a floor): the
 *       library is what browsers speak. {@code LiteMoqNetVectorsTest} decodes and re-encodes the library's own
 *       encodings, byte for byte, for every version.</li>
 *   <li>The lite-05 text (the {@code moq-dev/drafts} revision that matches the library's encodings) and
 *       {@code @moq/net} 0.3.4 differ in names and two meanings, not in bytes: the text's ANNOUNCE_REQUEST,
 *       ANNOUNCE_BROADCAST and (trimmed) SUBSCRIBE_OK are the library's AnnounceRequest, Announce and SubscribeStart
 *       (here {@link moq.relay.wire.lite.AnnouncePlease}, {@link moq.relay.wire.lite.Announce},
 *       {@link moq.relay.wire.lite.SubscribeStart}); SUBSCRIBE_END's group is inclusive in the text and exclusive in
 *       the library ({@link moq.relay.wire.lite.SubscribeEnd}); the text defines SETUP parameters Probe (0x1) and Path
 *       (0x2), the library also Role (0x3) and Origin (0x5); the text has no ANNOUNCE status 2, the library accepts
 *       it on lite-05 (so does this codec) and never sends it.</li>
 *   <li>Error code: malformed input is PROTOCOL_VIOLATION (0x3), the code the later lite texts reuse from MoqTransport
 *       (03 names none). {@code @moq/net} closes a session it finds in violation with 15.</li>
 *   <li>ANNOUNCE's status is read as a varint (03 figure: {@code Announce Status (i)}); {@code @moq/net} reads and
 *       writes a byte. For the defined values (0-2) the two are the same byte.</li>
 *   <li>Subscriber/Publisher Ordered is a byte that must be 0 or 1 (as {@code @moq/net}'s {@code bool}); other values
 *       are malformed.</li>
 *   <li>Strings must be valid UTF-8 (Appendix B); the text sets no length bound, so they are bounded by the Message
 *       Length ({@link moq.relay.wire.lite.LiteLimits#DEFAULT_MAX_MESSAGE_LENGTH}, 65,535). Paths are not normalised
 *       here ({@code @moq/net} trims and collapses slashes and refuses more than 32 segments); {@link moq.relay.wire.lite.LitePaths} does that for the bridge.</li>
 *   <li>Hops are at most 32 ({@code @moq/net} {@code MAX_HOPS}); lite-03's hop count decodes to that many 0 ids.</li>
 *   <li>Integers: the relay reads full 62-bit varints where {@code @moq/net} reads 53-bit ones ({@code u53}); a
 *       dialect must not send a value above 2^53-1 to a browser (group sequences, ids, lengths never get there in
 *       practice).</li>
 *   <li>Stream order rules enforced here: an opener's STREAM_TYPE must match its side; SUBSCRIBE_DROP before the first
 *       SUBSCRIBE_OK is malformed (03 §"Subscribe"); single-message sides (Announce, Fetch, Goaway, Track, Track
 *       reply, Setup) take nothing after their message; FIN inside a message, or before an opener's first message
 *       (but a Probe Stream's: {@code @moq/net} opens it with the type alone and never sends a target), is malformed.
 *       Per-path ANNOUNCE alternation (active/ended) is the dialect's check, as it needs the stream's state.</li>
 *   <li>A GROUP Message Length above 16 cannot hold two varints and is refused when read; a FRAME's length is not
 *       bounded here (the ingest compares it with the store's maximum object size).</li>
 *   <li>lite-05 frame timestamps are reported as the running sum of the deltas from 0 at each stream's start (signed
 *       64-bit arithmetic); the encoder takes absolute timestamps and writes deltas.</li>
 * </ul>
 *
 * <h2>Proposed mapping for the relay's moq-lite dialect (moq-lite ↔ MoQT)</h2>
 * <ul>
 *   <li><b>Broadcast path ↔ track namespace.</b> The path, normalised as {@code @moq/net} does (no empty segments),
 *       split at {@code /} into namespace fields: {@code room/alice} ↔ ({@code room}, {@code alice}); the empty path
 *       is the empty prefix. A namespace whose fields are not all non-empty UTF-8 without {@code /}, or a path of more
 *       than 32 segments, has no counterpart and is not bridged (not announced across, subscriptions to it refused);
 *       {@link moq.relay.wire.lite.LitePaths} implements it.</li>
 *   <li><b>Track name ↔ track name</b>, UTF-8 bytes unchanged (a non-UTF-8 MoQT track name is not reachable from
 *       moq-lite).</li>
 *   <li><b>Groups and frames ↔ groups and objects.</b> Group Sequence ↔ Group ID; one Group Stream ↔ one subgroup
 *       (ID 0) stream; the n-th FRAME (from 0) ↔ Object ID n, status Normal, no properties; payloads byte for byte
 *       (the log stores them once). An empty FRAME is an empty Normal object. MoQT to moq-lite: every Normal object
 *       of a group, whatever its subgroup, becomes a FRAME on that group's one stream in arrival order (moq-lite has
 *       no object ids, so gaps and subgroups are invisible); END_OF_GROUP FINs the group stream; properties are
 *       dropped (Appendix B: none). lite-05 timestamps: kept with each object from a lite-05 publisher; objects from
 *       elsewhere are stamped with their arrival time at the relay in the timescale the relay's TRACK_INFO gives
 *       (proposed: microseconds, 1,000,000).</li>
 *   <li><b>Priorities.</b> moq-lite priorities are higher-first u8s, MoQT's lower-first: MoQT = 255 - lite, both for
 *       subscriber and publisher priority. Ordered 1 ↔ group order Ascending, 0 ↔ Descending. Max Latency is applied
 *       by the moq-lite egress itself (reset a group stream older than it once a newer group exists, 03
 *       §"Expiration"), not forwarded.</li>
 *   <li><b>Range.</b> SUBSCRIBE Start Group 0 (latest group) ↔ the engine's largest group from its first object (the
 *       cached current group: join at the group boundary); {@code g + 1} ↔ absolute start {@code (g, 0)}; End Group
 *       {@code e + 1} ↔ end group {@code e}, 0 ↔ open-ended. SUBSCRIBE_OK (03/04) / SUBSCRIBE_START (05) carries the
 *       resolved start once the engine knows it (0 "not yet known" until then).</li>
 *   <li><b>Ends and errors.</b> Track ended (MoQT PUBLISH_DONE TRACK_ENDED / SUBSCRIPTION_ENDED) ↔ the Subscribe
 *       Stream FINned once every group in range is accounted for (03/04; SUBSCRIBE_DROP for groups that will not
 *       come), or SUBSCRIBE_END then FIN (05). PUBLISH_DONE with an error ↔ Subscribe Stream reset. A moq-lite
 *       publisher's FIN of the Subscribe Stream ↔ PUBLISH_DONE TRACK_ENDED; its reset ↔ PUBLISH_DONE
 *       INTERNAL_ERROR. Subscriber cancel (reset or FIN of its side) ↔ UNSUBSCRIBE / request stream cancel. A Group
 *       Stream reset ↔ the subgroup stream reset downstream (both not fatal). SUBSCRIBE_DROP from a lite publisher:
 *       those groups never appear downstream (MoQT subscribers handle gaps).</li>
 *   <li><b>Announcements.</b> ANNOUNCE_PLEASE(prefix) ↔ SUBSCRIBE_NAMESPACE(prefix); ANNOUNCE active/ended (path =
 *       prefix + suffix) ↔ PUBLISH_NAMESPACE (draft-14) / NAMESPACE (draft-18) and their DONE. moq-lite is pull only
 *       (Appendix B): to learn a moq-lite client's broadcasts the relay opens an Announce Stream to it with
 *       ANNOUNCE_PLEASE("") and registers each active path as that session's published namespace, withdrawing it
 *       on ended, on a duplicate status (reset) or when the stream closes; Hops + 1 when forwarding.</li>
 * </ul>
 */
package moq.relay.wire.lite;
