package io.messengerhub.api;

import jakarta.servlet.http.HttpServletRequest;

/** The path a request is routed by, for the servlet filters that decide what a path needs. */
public final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * The decoded, normalised path (servlet path and path info): unlike the raw request URI, {@code //api/...},
     * {@code /./actuator/...} or {@code ;param} cannot make a request look like another path than the one it reaches.
     */
    public static String of(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? servletPath : servletPath + pathInfo;
    }
}
