package io.wsrouter.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.CanonicalMessageRouter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /stats}: the router's statistics in their legacy snake_case form ({@code routing}), the
 * connection pool's figures ({@code pool}), the quality monitor's ({@code quality}) and the handler
 * status, and the broker's ({@code cluster}: the node id and presence when clustered through Redis),
 * as JSON. The page polls it.
 */
final class StatsHandler extends Handler.Abstract.NonBlocking {

    static final String PATH = "/stats";

    private final CanonicalMessageRouter router;
    private final Supplier<Map<String, Object>> poolFigures;
    private final Supplier<Map<String, Object>> qualityFigures;
    private final Supplier<Map<String, Object>> clusterFigures;
    private final ObjectMapper mapper = new ObjectMapper();

    StatsHandler(CanonicalMessageRouter router, Supplier<Map<String, Object>> poolFigures,
                 Supplier<Map<String, Object>> qualityFigures, Supplier<Map<String, Object>> clusterFigures) {
        this.router = router;
        this.poolFigures = poolFigures;
        this.qualityFigures = qualityFigures;
        this.clusterFigures = clusterFigures;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws JsonProcessingException {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        if (!HttpMethod.GET.is(request.getMethod())) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, mapper.writeValueAsString(snapshot()), callback);
        return true;
    }

    Map<String, Object> snapshot() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("handler_status", router.handlerStatus().name());
        body.put("uptime_seconds", router.uptime().toMillis() / 1000.0);
        body.put("routing", router.statistics().toMap());
        body.put("pool", poolFigures.get());
        body.put("quality", qualityFigures.get());
        body.put("cluster", clusterFigures.get());
        return body;
    }
}
