package io.mongoresume.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** nproc, memory, Java, CPU model and load, for the results header. */
final class Machine {

    private Machine() {}

    static String describe() {
        String cpu = firstValue("/proc/cpuinfo", "model name");
        String mem = firstValue("/proc/meminfo", "MemTotal");
        String load = read("/proc/loadavg");
        return "Machine: "
                + Runtime.getRuntime().availableProcessors()
                + " cores (nproc), "
                + (mem == null ? "? memory" : toGiB(mem) + " memory")
                + ", CPU "
                + (cpu == null ? "unknown" : cpu)
                + "\nJava: "
                + System.getProperty("java.vm.name")
                + " "
                + System.getProperty("java.runtime.version")
                + "; load average at start: "
                + (load == null ? "?" : String.join(" ", List.of(load.split(" ")).subList(0, 3)));
    }

    private static String toGiB(String memTotal) {
        try {
            long kb = Long.parseLong(memTotal.replace("kB", "").trim());
            return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
        } catch (NumberFormatException e) {
            return memTotal;
        }
    }

    private static String firstValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
