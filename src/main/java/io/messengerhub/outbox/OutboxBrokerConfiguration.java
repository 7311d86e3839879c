package io.messengerhub.outbox;

import jakarta.jms.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The outbox sends through a connection factory of its own ({@link OutboxRelay}).
 * <p>
 * Spring hands a transacted consumer's session to every send on the same thread that goes through the same
 * connection factory. With the shared factory, an offer decided while a webhook (or an agent command) was being
 * processed became final only when that message was acknowledged, while its outbox row had already been deleted:
 * a rollback (a crash, a later event failing) discarded the offer and left nothing to send again. With a factory
 * of its own, a persistent outbox send is durable when it returns, and only then is the row deleted.
 */
@Configuration(proxyBeanMethods = false)
public class OutboxBrokerConfiguration {

    /** Holds the outbox's connection factory; deliberately not a {@link ConnectionFactory} bean itself, which
     * would make Spring Boot's own broker connection back off. */
    public static final class OutboxConnection implements DisposableBean {

        private final CachingConnectionFactory factory;

        OutboxConnection(ConnectionFactory shared) {
            ConnectionFactory target = shared instanceof CachingConnectionFactory caching
                    ? caching.getTargetConnectionFactory() : shared;
            this.factory = new CachingConnectionFactory(target);
            this.factory.setSessionCacheSize(16);
        }

        public ConnectionFactory factory() {
            return factory;
        }

        @Override
        public void destroy() {
            factory.destroy();
        }
    }

    @Bean
    OutboxConnection outboxConnection(ConnectionFactory shared) {
        return new OutboxConnection(shared);
    }

}
