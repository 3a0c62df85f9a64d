package moq.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link MemoryBreakdown}'s smaps split: each mapping's resident kilobytes land in the right kind. */
class MemoryBreakdownTest
{
    @Test
    void splitsResidentMemoryByMappingKind()
    {
        final List<String> smaps = List.of(
            "e0000000-100000000 rw-p 00000000 00:00 0 ",
            "Size:             524288 kB",
            "Rss:               40000 kB",
            "5585b1a57000-5585b1a84000 rw-p 00000000 00:00 0                          [heap]",
            "Rss:                 116 kB",
            // a glibc thread arena: 64 MiB-aligned, its read-write part
            "7facec000000-7facee9d7000 rw-p 00000000 00:00 0 ",
            "Rss:               42840 kB",
            "7facee9d7000-7facf0000000 ---p 00000000 00:00 0 ",
            "Rss:                   0 kB",
            // the code cache and a thread stack: other anonymous
            "7fad59400000-7fad59ce0000 rwxp 00000000 00:00 0 ",
            "Rss:                9084 kB",
            "7ffd1c3a0000-7ffd1c3c1000 rw-p 00000000 00:00 0                          [stack]",
            "Rss:                  32 kB",
            "7fad75051000-7fad75da4000 r-xp 00123000 fd:01 393 /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
            "Rss:               11660 kB",
            "VmFlags: rd ex mr mw me sd ");
        final MemoryBreakdown.Rss rss = MemoryBreakdown.split(smaps,
            MemoryBreakdown.heapRange(" garbage-first heap   total 524288K, used 50191K [0x00000000e0000000, "
                + "0x0000000100000000)"));
        assertThat(rss.javaHeapKb()).isEqualTo(40000);
        assertThat(rss.mallocKb()).isEqualTo(116 + 42840);
        assertThat(rss.otherAnonKb()).isEqualTo(9084 + 32);
        assertThat(rss.fileKb()).isEqualTo(11660);
    }
}
