package io.messengerhub.broker;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Spring Boot starts its embedded Artemis server whenever {@code spring.artemis.embedded.enabled} is true, which it
 * is by default, even when the hub talks to a standalone broker ({@code spring.artemis.mode=native}). That server
 * would keep a journal of its own in the data directory (which several hubs may share) and wait there for its lock.
 * With a standalone broker the hub turns it off, unless the operator set {@code spring.artemis.embedded.enabled}.
 */
public class NoEmbeddedBrokerInNativeMode implements EnvironmentPostProcessor {

    static final String ENABLED = "spring.artemis.embedded.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if ("native".equalsIgnoreCase(environment.getProperty("spring.artemis.mode")) && !environment.containsProperty(ENABLED)) {
            environment.getPropertySources().addLast(new MapPropertySource("hub-native-broker", Map.of(ENABLED, "false")));
        }
    }
}
