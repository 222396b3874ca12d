package io.wsrouter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.CanonicalMessageRouter;
import org.junit.jupiter.api.Test;

/**
 * Smoke tests: every benchmark state sets up and one operation does the work it claims, so that a
 * broken peer never produces a number. No timing here (that is JMH's job).
 */
class BenchmarkStatesTest {

    private final RouteBenchmark route = new RouteBenchmark();
    private final EmitBenchmark emit = new EmitBenchmark();

    private static RouteBenchmark.Connection connection() {
        RouteBenchmark.Connection connection = new RouteBenchmark.Connection();
        connection.init(0);
        return connection;
    }

    @Test
    void wsrouterRoutesTheFrameToTheUserMessageHandlerBehindAThousandExtraHandlers() {
        for (int extra : new int[] {0, 1000}) {
            RouteBenchmark.Wsrouter state = new RouteBenchmark.Wsrouter();
            state.extraHandlers = extra;
            state.setUp();
            assertThat(state.router.handlerOrder()).hasSizeGreaterThan(extra + 9);

            assertThat(route.wsrouter(state, connection())).isTrue();

            assertThat(state.sink.messages()).isEqualTo(1);
            assertThat(state.sink.chars()).isEqualTo("Summarise the open tickets for this week".length());
            assertThat(state.transport.frames()).as("the handler replies nothing").isZero();
            assertThat(state.router.statistics().unhandledMessages()).isZero();
            state.tearDown();
        }
    }

    @Test
    void naivePortRoutesTheFrameToTheUserMessageHandlerBehindAThousandExtraHandlers() {
        for (int extra : new int[] {0, 1000}) {
            RouteBenchmark.Naive state = new RouteBenchmark.Naive();
            state.extraHandlers = extra;
            state.setUp();

            assertThat(route.naive(state, connection())).isTrue();

            assertThat(state.sink.messages()).isEqualTo(1);
            assertThat(state.sink.chars()).isEqualTo("Summarise the open tickets for this week".length());
            state.tearDown();
        }
    }

    @Test
    void springDecodesTheStompFrameAndInvokesTheMessageMappingMethod() {
        RouteBenchmark.Spring state = new RouteBenchmark.Spring();
        state.setUp();

        assertThat(route.spring(state, connection())).isTrue();

        assertThat(state.sink.messages()).isEqualTo(1);
        assertThat(state.sink.chars()).isEqualTo("Summarise the open tickets for this week".length());
        assertThat(state.inbound.outboundMessages()).isZero();
        state.tearDown();
    }

    @Test
    void breakdownStepsReadTheSameFrame() throws Exception {
        RouteBreakdownBenchmark breakdown = new RouteBreakdownBenchmark();
        assertThat(breakdown.parseReadTree().path("payload").path("content").asText()).startsWith("Summarise");
        assertThat(breakdown.parseMessage().payloadText("content")).hasValueSatisfying(v -> assertThat(v).startsWith("Summarise"));
        assertThat(breakdown.parseStreaming()).isGreaterThan("Summarise the open tickets for this week".length());
        RouteBreakdownBenchmark.Router router = new RouteBreakdownBenchmark.Router();
        router.setUp();
        assertThat(breakdown.dispatchParsed(router)).isTrue();
        assertThat(router.sink.messages()).isEqualTo(1);
        router.tearDown();
    }

    @Test
    void aResumeReplaysTheWholeHistoryThenTheResult() {
        ResumeBenchmark.History history = new ResumeBenchmark.History();
        history.setUp();
        assertThat(new ResumeBenchmark().resume100(history)).isTrue();
        assertThat(history.transport.frames()).isEqualTo(ResumeBenchmark.EVENTS + 1);
        history.tearDown();
    }

    @Test
    void everyEmitPeerDeliversOneFramePerConnectionOfTheTargetUser() {
        int users = 200;
        int perUser = 4;
        EmitBenchmark.Cursor cursor = new EmitBenchmark.Cursor();

        EmitBenchmark.Wsrouter ws = new EmitBenchmark.Wsrouter();
        ws.connectionsPerUser = perUser;
        ws.setUp(users);
        assertThat(ws.router.statistics().activeConnections()).isEqualTo(users * perUser);
        assertThat(emit.wsrouter(ws, cursor)).isTrue();
        assertThat(ws.transport.frames()).isEqualTo(perUser);
        ws.tearDown();

        EmitBenchmark.WsrouterUnsequenced unsequenced = new EmitBenchmark.WsrouterUnsequenced();
        unsequenced.connectionsPerUser = perUser;
        unsequenced.setUp(users);
        assertThat(emit.wsrouterUnsequenced(unsequenced, cursor)).isTrue();
        assertThat(unsequenced.transport.frames()).isEqualTo(perUser);
        unsequenced.tearDown();

        EmitBenchmark.WsrouterOffsetOnly offsetOnly = new EmitBenchmark.WsrouterOffsetOnly();
        offsetOnly.connectionsPerUser = perUser;
        offsetOnly.setUp(users);
        assertThat(emit.wsrouterOffsetOnly(offsetOnly, cursor)).isTrue();
        assertThat(offsetOnly.transport.frames()).isEqualTo(perUser);
        offsetOnly.tearDown();

        EmitBenchmark.Naive naive = new EmitBenchmark.Naive();
        naive.connectionsPerUser = perUser;
        naive.setUp(users);
        assertThat(emit.naive(naive, cursor)).isEqualTo(perUser);
        assertThat(naive.transport.frames()).isEqualTo(perUser);
        naive.tearDown();

        EmitBenchmark.SpringRaisedCache raised = new EmitBenchmark.SpringRaisedCache();
        raised.connectionsPerUser = perUser;
        raised.setUp(users);
        emit.springRaisedCache(raised, cursor);
        assertThat(raised.spring.delivered()).isEqualTo(perUser);
        raised.tearDown();

        EmitBenchmark.SpringDefaultCache dflt = new EmitBenchmark.SpringDefaultCache();
        dflt.connectionsPerUser = perUser;
        dflt.setUp(users);
        emit.springDefaultCache(dflt, cursor);
        assertThat(dflt.spring.delivered()).isEqualTo(perUser);
        dflt.tearDown();
    }

    @Test
    void memoryProbeRegistersEveryConnectionInEveryImplementation() {
        Population population = new Population(50, 4);
        UserPrincipal[] principals = population.principals();
        int[] owners = population.owners();

        CanonicalMessageRouter ws = (CanonicalMessageRouter) MemoryProbe.register("wsrouter", population, principals, owners);
        assertThat(ws.statistics().activeConnections()).isEqualTo(200);
        assertThat(ws.statistics().connectedUsers()).isEqualTo(50);
        ws.close();

        NaiveConnectionPool naive = (NaiveConnectionPool) MemoryProbe.register("naive", population, principals, owners);
        assertThat(naive.users()).isEqualTo(50);

        for (String spring : new String[] {"spring-registry", "spring-registry-broker"}) {
            SpringUserMessaging messaging = (SpringUserMessaging) MemoryProbe.register(spring, population, principals, owners);
            assertThat(messaging.registry().getUserCount()).isEqualTo(50);
            assertThat(messaging.registry().getUser(population.users[7]).getSessions()).hasSize(4);
            messaging.stop();
        }
    }
}
