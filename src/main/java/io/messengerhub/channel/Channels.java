package io.messengerhub.channel;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.messengerhub.channel.ChannelProperties.Page;
import org.springframework.stereotype.Component;

/**
 * The Pages in force: those of config/channels.yaml at start-up, replaced when the file changes and passes its checks
 * (operations.ConfigReload). Everything that asks about a Page asks here, so a change reaches all of it at once.
 */
@Component
public class Channels {

    private final AtomicReference<ChannelProperties> inForce;

    public Channels(ChannelProperties atStartUp) {
        this.inForce = new AtomicReference<>(atStartUp);
    }

    public List<Page> pages() {
        return inForce.get().pages();
    }

    public Optional<Page> page(String pageId) {
        return inForce.get().page(pageId);
    }

    public ChannelProperties current() {
        return inForce.get();
    }

    /** Puts {@code next} in force and answers the Pages it replaced. */
    public ChannelProperties replace(ChannelProperties next) {
        return inForce.getAndSet(next);
    }
}
