/**
 * The canonical router in Spring: {@link io.wsrouter.spring.RouterWebSocketHandler}, a
 * {@code WebSocketHandler} for Spring Framework 6.2 and 7, and Spring Boot auto-configuration
 * ({@link io.wsrouter.spring.WsRouterAutoConfiguration}, settings {@link io.wsrouter.spring.WsRouterProperties}
 * under {@code wsrouter.*}) for Boot 4 and 3.5.
 */
package io.wsrouter.spring;
