package io.messengerhub.operations;

import java.nio.file.Path;

/**
 * One thing wrong in an operator's file: the file, the line and column (1-based; 0 when the problem is the file as a
 * whole) and what is wrong, in words an operator can act on.
 */
public record ConfigProblem(Path file, int line, int column, String message) {

    /** {@code config/routing.yaml:12:9: hub.routing.rules[0]: 'keyword' is not a known key ...}, as compilers write it. */
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message;
    }
}
