package io.wsrouter.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageFormatException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostics for W1 (not a comparison): where wsrouter's time per frame goes. Parsing alone with a
 * plain {@link ObjectMapper#readTree(String)} (what the naive port does), with {@link Message#parse}
 * (wsrouter's parser: limits, duplicate-key detection, trailing-token check, exact decimals), with a
 * Jackson streaming parser that reads the four fields and skips the rest (a floor), and wsrouter's
 * dispatch alone ({@code routeMessage} with an already parsed {@link Message}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RouteBreakdownBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();

    /** A router with the W1 handlers and a pre-parsed message. */
    @State(Scope.Benchmark)
    public static class Router {
        CanonicalMessageRouter router;
        Message message;
        String userId;
        String connectionId;
        final ContentSink sink = new ContentSink();

        /** Builds the router and parses the frame once. */
        @Setup(Level.Trial)
        public void setUp() throws MessageFormatException {
            router = WsrouterSetup.routeRouter(new CountingTransport(), 0, sink, 1);
            message = Message.parse(Workloads.FRAME);
            userId = Workloads.userId(0);
            connectionId = RouteBenchmark.Connection.connectionId(0);
        }

        /** Closes the router. */
        @TearDown(Level.Trial)
        public void tearDown() {
            router.close();
            Checks.handled("wsrouter dispatch", sink);
        }
    }

    /** The naive port's parse. */
    @Benchmark
    public JsonNode parseReadTree() throws IOException {
        return MAPPER.readTree(Workloads.FRAME);
    }

    /** wsrouter's parse. */
    @Benchmark
    public Message parseMessage() throws MessageFormatException {
        return Message.parse(Workloads.FRAME);
    }

    /** A streaming parse of type, ids and payload.content: what a tree-free parser could cost. */
    @Benchmark
    public int parseStreaming() throws IOException {
        int found = 0;
        try (JsonParser p = FACTORY.createParser(Workloads.FRAME)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("payload".equals(name) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        if (Workloads.CONTENT_FIELD.equals(field)) {
                            found += p.getText().length();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if (value == JsonToken.VALUE_STRING) {
                    found += p.getText().length();
                } else {
                    p.skipChildren();
                }
            }
        }
        return found;
    }

    /** wsrouter's dispatch of a parsed message (chain lookup, statistics, handler). */
    @Benchmark
    public boolean dispatchParsed(Router router) {
        return router.router.routeMessage(router.userId, router.connectionId, router.message);
    }
}
