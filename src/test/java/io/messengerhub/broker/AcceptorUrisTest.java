package io.messengerhub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AcceptorUrisTest {

    @Test
    void shouldKeepTheAgentsAcceptorToCoreUnlessTheOperatorNamesProtocols() {
        assertThat(AcceptorUris.agents("tcp://127.0.0.1:61616")).isEqualTo("tcp://127.0.0.1:61616?protocols=CORE");
        assertThat(AcceptorUris.agents("tcp://0.0.0.0:61616?sslEnabled=true"))
                .isEqualTo("tcp://0.0.0.0:61616?sslEnabled=true&protocols=CORE");
        assertThat(AcceptorUris.agents("tcp://0.0.0.0:61616?protocols=CORE,STOMP")).isEqualTo("tcp://0.0.0.0:61616?protocols=CORE,STOMP");
    }

    @Test
    void shouldGiveTheBrowsersAcceptorStompWithTheDocumentedPrefixesAndKeepTheOperatorsTls() {
        assertThat(AcceptorUris.browsers("tcp://127.0.0.1:61614?sslEnabled=true&keyStorePath=/etc/hub/broker.p12"))
                .isEqualTo("tcp://127.0.0.1:61614?sslEnabled=true&keyStorePath=/etc/hub/broker.p12&protocols=STOMP"
                        + "&anycastPrefix=/queue/&multicastPrefix=/topic/&webSocketEncoderType=text");
    }

    @Test
    void shouldRefuseABrowsersAcceptorThatChangesWhatTheProtocolReliesOn() {
        assertThatThrownBy(() -> AcceptorUris.browsers("tcp://127.0.0.1:61614?anycastPrefix=queue."))
                .hasMessageContaining("must not set anycastPrefix");
        assertThatThrownBy(() -> AcceptorUris.browsers("tcp://127.0.0.1:61614?Protocols=CORE,STOMP"))
                .hasMessageContaining("must not set protocols");
    }
}
