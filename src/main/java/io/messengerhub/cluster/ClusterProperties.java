package io.messengerhub.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How hub instances that share one database and one broker divide the work that must happen once.
 *
 * @param instanceId    this instance's name in the {@code shedlock} table ({@code locked_by}); empty: host name, process
 *                      id and a random part, so that two hubs never share one
 * @param lockAtMostFor per once-only route id, how long one run may hold the route's lock: longer than a run can take,
 *                      and how long the other instances wait before they take over from an instance that died mid-run
 */
@ConfigurationProperties("hub.cluster")
public record ClusterProperties(String instanceId, Map<String, Duration> lockAtMostFor) {

    public ClusterProperties {
        instanceId = instanceId == null || instanceId.isBlank() ? generatedInstanceId() : instanceId.strip();
        lockAtMostFor = lockAtMostFor == null ? Map.of() : Map.copyOf(lockAtMostFor);
        lockAtMostFor.forEach((route, duration) -> {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("hub.cluster.lock-at-most-for." + route + " must be positive");
            }
        });
    }

    private static String generatedInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String random = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        return host + "/" + ProcessHandle.current().pid() + "/" + random;
    }
}
