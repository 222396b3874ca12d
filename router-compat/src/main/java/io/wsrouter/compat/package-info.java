/**
 * Deprecated facades with the legacy router names ({@link io.wsrouter.compat.MessageRouter},
 * {@link io.wsrouter.compat.QualityMessageRouter}, {@link io.wsrouter.compat.WebSocketEventRouter}),
 * for teams migrating from the legacy Python routers in steps. Each holds one
 * {@link io.wsrouter.core.CanonicalMessageRouter} and only delegates to it: there is no second routing
 * path. Each method's Javadoc names its canonical replacement; the migration guide (docs/migration.md) has the
 * full table.
 */
package io.wsrouter.compat;
