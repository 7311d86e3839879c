package io.messengerhub;

/**
 * Published once at start, when the hub's schema is current and before any route starts: the moment for what must
 * touch a database first. A listener failing because a database is unreachable is waited out and called again
 * (DatabaseStartup), so it must be repeatable.
 */
public record HubDatabaseReady() {
}
