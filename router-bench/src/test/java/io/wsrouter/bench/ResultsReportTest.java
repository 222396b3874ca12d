package io.wsrouter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsReportTest {

    @TempDir
    Path dir;

    private static String run(String method, int threads, String params, double score, double alloc) {
        return "{\"benchmark\":\"io.wsrouter.bench." + method + "\",\"mode\":\"thrpt\",\"threads\":" + threads
                + ",\"params\":{" + params + "},\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + (score / 10)
                + ",\"scoreUnit\":\"ops/s\"},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + alloc + "}}}";
    }

    private static String paired(String workload, String peer, String value, double ns) {
        return "{\"workload\":\"" + workload + "\",\"peer\":\"" + peer + "\",\"param\":\"p\",\"value\":\"" + value
                + "\",\"medianNs\":" + ns + ",\"minNs\":" + ns + "}";
    }

    @Test
    void ratiosAreWsrouterOverPeerAndEachTargetGetsAVerdict() throws Exception {
        String jmh = "[" + String.join(",",
                run("RouteBenchmark.wsrouter", 1, "\"extraHandlers\":\"0\"", 3_000_000, 500),
                run("RouteBenchmark.wsrouter", 1, "\"extraHandlers\":\"1000\"", 2_900_000, 500),
                run("RouteBenchmark.naive", 1, "\"extraHandlers\":\"0\"", 1_000_000, 1700),
                run("RouteBenchmark.naive", 1, "\"extraHandlers\":\"1000\"", 100_000, 1700),
                run("RouteBenchmark.spring", 1, "", 500_000, 8000),
                run("EmitBenchmark.wsrouter", 1, "\"connectionsPerUser\":\"1\"", 1_000_000, 700),
                run("EmitBenchmark.naive", 1, "\"connectionsPerUser\":\"1\"", 400_000, 1300),
                run("EmitBenchmark.springRaisedCache", 1, "\"connectionsPerUser\":\"1\"", 50_000, 5000),
                run("EmitBenchmark.springDefaultCache", 1, "\"connectionsPerUser\":\"1\"", 10, 2_000_000)) + "]";
        Files.writeString(dir.resolve("jmh.json"), jmh);
        Files.writeString(dir.resolve("memory.json"), "[{\"implementation\":\"wsrouter\",\"connections\":1000000,"
                + "\"bytesPerConnection\":120.0,\"idBytesPerConnection\":108.3},{\"implementation\":\"naive\","
                + "\"connections\":1000000,\"bytesPerConnection\":80.0,\"idBytesPerConnection\":108.3}]");

        Files.writeString(dir.resolve("paired.json"), "[" + String.join(",",
                paired("W1", "wsrouter", "0", 400), paired("W1", "naive", "0", 600), paired("W1", "spring", "0", 3000),
                paired("W1", "wsrouter", "1000", 420), paired("W1", "naive", "1000", 6000),
                paired("W2", "wsrouter", "1", 800), paired("W2", "naive", "1", 2400),
                paired("W2", "springRaisedCache", "1", 24000)) + "]");

        String md = ResultsReport.render(dir.resolve("jmh.json"), dir.resolve("paired.json"), dir.resolve("memory.json"),
                new Machine(2, "Test CPU", "JDK 17", "0.1 0.1 0.1", "0.2 0.2 0.2", 42));

        assertThat(md).contains("2 cores, Test CPU, JDK 17")
                .contains("| 12 types, 1 thread | 3,000,000 ± 10% (500 B) | 1,000,000 ± 10% (1,700 B) | 500,000 ± 10% (8,000 B) | 3.00x | 6.00x |")
                .contains("| +1000 custom handlers, 1 thread | 2,900,000 ± 10% (500 B) | 100,000 ± 10% (1,700 B) | – | 29.0x | – |")
                .contains("wsrouter 0.97, naive 0.10")
                .contains("| 1 | 1,000,000 ± 10% (700 B) | 400,000 ± 10% (1,300 B) | 50,000 ± 10% (5,000 B) | 10 ± 10% (2,000,000 B) | 2.50x | 20.0x | 100,000x |")
                .contains("| W1, 12 types | 400 ns | 600 ns | 3,000 ns | 1.50x | 7.50x |")
                .contains("| W2, 1 connection(s)/user (Spring: cache raised) | 800 ns | 2,400 ns | 24,000 ns | 3.00x | 30.0x |")
                .contains("Flatness, paired: wsrouter 0.95, naive 0.10.")
                .contains("| W1: wsrouter >= 10x Spring, 1 thread | 6.00x | 7.50x | missed |")
                .contains("| W1: wsrouter >= 2x naive, 1 thread | 3.00x | 1.50x | unclear: the two measurements disagree |")
                .contains("| W1: flat from 12 to 1,000+ handlers (>= 0.85 of the 12-type throughput) | 0.97 | 0.95 | met |")
                .contains("| W2: wsrouter >= 10x Spring (cache raised), 1 connection(s)/user | 20.0x | 30.0x | met |")
                .contains("| W2: wsrouter >= 2x naive, 1 connection(s)/user | 2.50x | 3.00x | met |")
                .contains("| wsrouter `ConnectionPool` | 120.0 | 1.00 |")
                .contains("| naive `Map<String, Set<String>>` | 80.0 | 1.50 |")
                .contains("| W3: <= 200 bytes per connection besides ids | 120.0 | – | met |");
    }
}
