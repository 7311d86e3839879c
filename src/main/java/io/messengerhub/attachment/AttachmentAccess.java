package io.messengerhub.attachment;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import io.messengerhub.api.ApiNotFoundException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who may fetch a stored customer file: integrations and operators with an API bearer token, and the agent who
 * holds the conversation, with its broker login (HTTP Basic). Anyone else gets 401 or, for a file that exists
 * but is not theirs, the same 404 as for a file that does not exist.
 */
@Component("attachmentAccess")
public class AttachmentAccess {

    private final JdbcClient jdbc;
    private final Path storeDir;

    public AttachmentAccess(JdbcClient jdbc, @Value("${hub.attachments.store-dir}") Path storeDir) {
        this.jdbc = jdbc;
        this.storeDir = storeDir;
    }

    /** The stored file, with Content-Type and Content-Disposition set on the exchange. */
    public File open(@Variable("caller") String agent, @Header("id") String attachmentId, Exchange exchange) {
        Map<String, Object> row = jdbc.sql("select a.stored_name, a.detected_type, a.original_name, c.agent_id from attachment a"
                        + " join conversation c on c.id = a.conversation_id where a.id = :id and a.status = 'STORED'")
                .param("id", attachmentId).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> new ApiNotFoundException("attachment " + attachmentId + " not found"));
        if (agent != null && !agent.equals(row.get("agent_id"))) {
            throw new ApiNotFoundException("attachment " + attachmentId + " not found");
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, row.get("detected_type"));
        String name = row.get("original_name") != null ? (String) row.get("original_name") : (String) row.get("stored_name");
        exchange.getMessage().setHeader("Content-Disposition", "attachment; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        return storeDir.resolve((String) row.get("stored_name")).toFile();
    }
}
