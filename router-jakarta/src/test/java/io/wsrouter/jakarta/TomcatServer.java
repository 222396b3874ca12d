package io.wsrouter.jakarta;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * Embedded Tomcat 11 on 127.0.0.1 and an ephemeral port, with the servlet under test at {@code /ws}
 * and a stand-in for the application's security in front of it: a request carrying
 * {@code Authorization: Bearer <user>} gets that user as its {@link Principal} (as container security
 * or Spring Security would set it).
 */
final class TomcatServer implements AutoCloseable {

    private final Tomcat tomcat;
    private final Connector connector;

    private TomcatServer(Tomcat tomcat, Connector connector) {
        this.tomcat = tomcat;
        this.connector = connector;
    }

    static TomcatServer start(HttpServlet servlet) throws LifecycleException, IOException {
        Path base = Files.createTempDirectory("wsrouter-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        context.addServletContainerInitializer(new WsSci(), null);
        FilterDef login = new FilterDef();
        login.setFilterName("login");
        login.setFilter(new BearerLogin());
        context.addFilterDef(login);
        FilterMap everything = new FilterMap();
        everything.setFilterName("login");
        everything.addURLPattern("/*");
        context.addFilterMap(everything);
        Tomcat.addServlet(context, "wsrouter", servlet).addMapping("/ws");
        tomcat.start();
        return new TomcatServer(tomcat, connector);
    }

    int port() {
        return connector.getLocalPort();
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    String origin() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }

    /** The application's security, reduced to a header: {@code Authorization: Bearer alice} logs alice in. */
    static final class BearerLogin implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            String header = http.getHeader("Authorization");
            if (header == null || !header.startsWith("Bearer ")) {
                chain.doFilter(request, response);
                return;
            }
            String user = header.substring("Bearer ".length());
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }
            }, response);
        }
    }
}
