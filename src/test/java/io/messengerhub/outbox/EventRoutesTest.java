package io.messengerhub.outbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * routes/events.camel.yaml is the one place that says where outgoing messages go: every domain event has its route
 * there (an event without one would fail its transaction at run time), every route there is for an event, and
 * nothing but the outbox sends to the broker.
 */
class EventRoutesTest {

    private static final JavaClasses HUB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.messengerhub");

    @Test
    void shouldRelayEveryDomainEventAndNothingElse() throws Exception {
        Set<String> events = HUB.stream()
                .filter(type -> type.isAssignableTo(DomainEvent.class) && !type.isInterface())
                .map(JavaClass::getSimpleName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> relayed = new TreeSet<>();
        try (var camel = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "file:routes/events.camel.yaml"));
            camel.getCamelContextExtension().getContextPlugin(ModelCamelContext.class).getRouteDefinitions()
                    .forEach(route -> relayed.add(route.getInput().getEndpointUri().replaceFirst("^direct:", "")));
        }
        assertThat(events).hasSizeGreaterThan(20);
        assertThat(relayed).isEqualTo(events);
    }

    @Test
    void shouldLeaveSendingToTheBrokerToTheOutbox() {
        // The agent client and console are the broker's clients, not the hub; customer.RouteCalls calls the CRM routes.
        // An admin's replay moves dead letters from one queue to another in a broker transaction of its own, with no
        // database transaction to leave. So does an erasure putting back a dead-lettered webhook without the erased
        // customer's items, in the broker transaction that takes the original off. The broker's management requests
        // (broker.BrokerManagement: an agent's inbox and read right) are questions to the broker, not messages.
        noClasses().that().resideOutsideOfPackages("io.messengerhub.outbox..", "io.messengerhub.client..",
                        "io.messengerhub.console..").and().doNotHaveFullyQualifiedName("io.messengerhub.admin.DeadLetters")
                .and().doNotHaveFullyQualifiedName("io.messengerhub.privacy.BrokerErasure")
                .and().doNotHaveFullyQualifiedName("io.messengerhub.broker.BrokerManagement")
                .should().dependOnClassesThat().haveFullyQualifiedName("jakarta.jms.MessageProducer")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.springframework.jms.core.JmsTemplate")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.springframework.jms.core.JmsClient")
                .because("messages leave a transaction only through the outbox, where routes/events.camel.yaml puts them")
                .check(HUB);
    }
}
