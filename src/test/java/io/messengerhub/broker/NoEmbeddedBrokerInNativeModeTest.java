package io.messengerhub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** With a standalone broker the embedded one stays off, unless the operator says otherwise. */
class NoEmbeddedBrokerInNativeModeTest {

    private final NoEmbeddedBrokerInNativeMode processor = new NoEmbeddedBrokerInNativeMode();

    @Test
    void shouldTurnTheEmbeddedBrokerOffInNativeMode() {
        var environment = new MockEnvironment().withProperty("spring.artemis.mode", "native");
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(NoEmbeddedBrokerInNativeMode.ENABLED)).isEqualTo("false");
    }

    @Test
    void shouldLeaveTheEmbeddedBrokerAloneInEmbeddedModeOrWhenTheOperatorChose() {
        var embedded = new MockEnvironment().withProperty("spring.artemis.mode", "embedded");
        processor.postProcessEnvironment(embedded, new SpringApplication());
        assertThat(embedded.getProperty(NoEmbeddedBrokerInNativeMode.ENABLED)).isNull();

        var chosen = new MockEnvironment().withProperty("spring.artemis.mode", "native")
                .withProperty(NoEmbeddedBrokerInNativeMode.ENABLED, "true");
        processor.postProcessEnvironment(chosen, new SpringApplication());
        assertThat(chosen.getProperty(NoEmbeddedBrokerInNativeMode.ENABLED)).isEqualTo("true");
    }
}
