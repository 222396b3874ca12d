package io.wsrouter.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the results were measured on: cores, CPU model, JDK, and the load average before and after
 * (the machine may be shared; a high load makes every figure noisier).
 *
 * @param cores       available processors
 * @param cpu         the CPU model name from {@code /proc/cpuinfo}, when readable
 * @param jdk         the JDK name and version
 * @param loadBefore  the 1/5/15-minute load average when the suite started
 * @param loadAfter   the same when it ended
 * @param seconds     how long the suite took
 */
record Machine(int cores, String cpu, String jdk, String loadBefore, String loadAfter, long seconds) {

    static Machine describe(String loadBefore, String loadAfter, long seconds) {
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel().orElse("unknown"), jdk,
                loadBefore, loadAfter, seconds);
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
