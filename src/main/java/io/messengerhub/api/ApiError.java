package io.messengerhub.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error answer of the HTTP API: a stable code for programs and a reason for people (left out when
 * there is nothing to say, as for a 500). The OpenAPI document names it as the schema of those answers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String reason) {
}
