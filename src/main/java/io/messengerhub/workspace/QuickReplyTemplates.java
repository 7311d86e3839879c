package io.messengerhub.workspace;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.messengerhub.workspace.QuickReplies.Template;
import org.springframework.stereotype.Component;

/**
 * The quick-reply templates in force: those of config/quick-replies.yaml at start-up, replaced when the file changes
 * and passes its checks (operations.ConfigReload).
 */
@Component
public class QuickReplyTemplates {

    private final AtomicReference<QuickReplies> inForce;

    public QuickReplyTemplates(QuickReplies atStartUp) {
        this.inForce = new AtomicReference<>(atStartUp);
    }

    public List<Template> templates() {
        return inForce.get().quickReplies();
    }

    public Optional<Template> template(String id) {
        return inForce.get().template(id);
    }

    public QuickReplies current() {
        return inForce.get();
    }

    /** Puts {@code next} in force and answers the templates it replaced. */
    public QuickReplies replace(QuickReplies next) {
        return inForce.getAndSet(next);
    }
}
