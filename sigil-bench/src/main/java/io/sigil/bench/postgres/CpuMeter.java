package io.sigil.bench.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of this JVM and of every PostgreSQL process on this machine, from /proc: read before and
 * after a measured window, it gives the CPU each side spent per append. Linux only; elsewhere it reads zero. The
 * PostgreSQL side includes its background processes (WAL writer, checkpointer), which appends also make busy.
 */
record CpuMeter(long jvmTicks, long pgTicks) {
    /** Clock ticks per second of /proc's stat times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    static CpuMeter now() {
        long jvm = ticks(Path.of("/proc/self/stat"));
        long pg = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    if (Files.readString(p.resolve("comm")).strip().equals("postgres")) pg += ticks(p.resolve("stat"));
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException noProc) {
            return new CpuMeter(0, 0);
        }
        return new CpuMeter(jvm, pg);
    }

    /** Microseconds of CPU per operation on each side since {@code before}: {jvm, postgres}. */
    double[] microsPerOp(CpuMeter before, long operations) {
        if (operations <= 0) return new double[] {0, 0};
        double scale = 1e6 / TICKS_PER_SECOND / operations;
        return new double[] {(jvmTicks - before.jvmTicks) * scale, (pgTicks - before.pgTicks) * scale};
    }

    private static long ticks(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15 of stat)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
