package io.messengerhub.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.RestClientRequestValidator;
import org.apache.camel.support.processor.DefaultRestClientRequestValidator;
import org.springframework.stereotype.Component;

/**
 * Camel's check of a request against its REST DSL declaration (Content-Type, Accept, required query parameters, a
 * JSON body), with its refusals answered like every other refusal of the API, {@link ApiError} written by
 * {@link ApiErrors}: Camel's own are a bare status or a line of text, with the request's headers left on the answer. Camel
 * finds this bean in the registry and uses it instead of its default.
 *
 * <p>A body is read as UTF-8 (JSON's encoding, whatever the platform's default), an empty or blank one counts as
 * none (Camel would refuse it as broken JSON), and a body for a verb that consumes JSON is also parsed by the JSON
 * library that binds it, with or without a Content-Type: the binding then cannot fail on a body that got through,
 * and a binding failure would be answered in Camel's plain text.
 */
@Component
public class ApiRequestValidator implements RestClientRequestValidator {

    private static final RestClientRequestValidator CAMEL = new DefaultRestClientRequestValidator();

    private final ApiErrors errors;
    private final ObjectMapper json;

    public ApiRequestValidator(ApiErrors errors, ObjectMapper json) {
        this.errors = errors;
        this.json = json;
    }

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext declared) {
        Message request = exchange.getIn();
        byte[] raw = request.getBody(byte[].class);
        String text = raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
        String body = text.isBlank() ? null : text;
        request.setBody(body);
        ValidationError refused = CAMEL.validate(exchange, declared);
        boolean notJson = body != null && consumesJson(declared) && !parses(body);
        if (refused == null && notJson) {
            refused = new ValidationError(400, null);
        }
        if (refused == null) {
            return null;
        }
        int status = refused.statusCode();
        ApiError refusal = switch (status) {
            case 415 -> new ApiError("unsupported_media_type",
                    "send the body as JSON with Content-Type: " + declared.consumes());
            case 406 -> new ApiError("not_acceptable",
                    "this endpoint answers " + declared.produces() + ", which the Accept header does not allow");
            default -> new ApiError("bad_request", reason(request, declared, notJson, refused));
        };
        return new ValidationError(status, errors.answer(exchange, status, refusal.error(), refusal.reason()));
    }

    private static String reason(Message request, ValidationContext declared, boolean notJson, ValidationError refused) {
        List<String> query = missing(request, declared.requiredQueryParameters());
        if (!query.isEmpty()) {
            return (query.size() == 1 ? "query parameter " : "query parameters ") + String.join(", ", query)
                    + (query.size() == 1 ? " is required" : " are required");
        }
        List<String> headers = missing(request, declared.requiredHeaders());
        if (!headers.isEmpty()) {
            return (headers.size() == 1 ? "header " : "headers ") + String.join(", ", headers)
                    + (headers.size() == 1 ? " is required" : " are required");
        }
        if (notJson) {
            return "the body is not valid JSON";
        }
        if (declared.requiredBody() && request.getBody() == null) {
            return "the body is missing";
        }
        return refused.body();
    }

    private static List<String> missing(Message request, Set<String> required) {
        return required == null ? List.of() : required.stream().filter(name -> !request.getHeaders().containsKey(name))
                .sorted().toList();
    }

    private static boolean consumesJson(ValidationContext declared) {
        return declared.consumes() != null && declared.consumes().toLowerCase(Locale.ROOT).contains("json");
    }

    private boolean parses(String body) {
        try {
            json.readTree(body);
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }
}
