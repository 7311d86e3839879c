package io.messengerhub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import io.messengerhub.support.ShippedBroker;
import io.messengerhub.support.TestAgents;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message groups of hub.webhook.inbound on the shipped broker.xml (its bucket count lowered to 8 so that a few
 * hundred customers fill them): one customer's webhooks go to one consumer in order, the broker remembers buckets and
 * not customers, a consumer that joins (another hub, a restart) gets its share, and a queue that a broker's journal
 * holds from before the buckets takes them on the next start.
 */
class InboundMessageGroupsTest {

    private static final String INBOUND = "hub.webhook.inbound";
    private static final String PASSWORD = "groups-hub-secret";
    private static final int BUCKETS = 8;
    private static final UnaryOperator<String> EIGHT_BUCKETS = xml -> xml.replace("group-buckets=\"1024\"", "group-buckets=\"" + BUCKETS + "\"");

    @TempDir
    Path files;

    private final int port = TestAgents.freePort();
    private EmbeddedActiveMQ broker;
    private Connection connection;

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void shouldKeepEachCustomerOnOneConsumerInOrderAndRememberBucketsNotCustomers() throws Exception {
        start(EIGHT_BUCKETS);
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        var consumers = List.of(consumer(session), consumer(session), consumer(session));

        sendThreeEach(session, "first", 100);
        List<List<Message>> received = receive(session, consumers, 300);

        Map<String, Set<Integer>> consumersOf = new HashMap<>();
        Map<String, List<Integer>> seqsOf = new HashMap<>();
        for (int i = 0; i < received.size(); i++) {
            for (Message message : received.get(i)) {
                String group = message.getStringProperty("JMSXGroupID");
                consumersOf.computeIfAbsent(group, g -> new HashSet<>()).add(i);
                seqsOf.computeIfAbsent(group, g -> new ArrayList<>()).add(message.getIntProperty("seq"));
            }
        }
        assertThat(consumersOf).hasSize(100);
        consumersOf.forEach((group, took) -> {
            assertThat(took).as("consumers of %s", group).hasSize(1);
            assertThat(seqsOf.get(group)).as("order of %s", group).containsExactly(0, 1, 2);
        });
        // 100 customers, 8 entries: without buckets the broker would hold one per customer for as long as the
        // consumers live.
        assertThat(inbound().getGroupCount()).isLessThanOrEqualTo(BUCKETS);
        assertThat(received).as("what each consumer received").allSatisfy(messages -> assertThat(messages).isNotEmpty());
    }

    @Test
    void shouldShareTheBucketsOutAgainWhenAConsumerJoins() throws Exception {
        start(EIGHT_BUCKETS);
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer first = consumer(session);
        sendThreeEach(session, "regular", 50);
        assertThat(receive(session, List.of(first), 150).get(0)).hasSize(150);

        // Every bucket is now the first consumer's; one that joins gets some of them, and so some of the same
        // customers' next webhooks.
        MessageConsumer joined = consumer(session);
        sendThreeEach(session, "regular", 50);
        List<List<Message>> received = receive(session, List.of(first, joined), 150);

        assertThat(received.get(1)).as("the consumer that joined").isNotEmpty();
        assertThat(received.get(0)).as("the first consumer").isNotEmpty();
    }

    @Test
    void shouldPutAQueueFromBeforeTheBucketsIntoBucketsOnTheNextStart() throws Exception {
        start(xml -> EIGHT_BUCKETS.apply(xml)
                .replace(" group-buckets=\"" + BUCKETS + "\" group-rebalance=\"true\" group-rebalance-pause-dispatch=\"true\"", ""));
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        sendThreeEach(session, "old", 1);
        assertThat(inbound().getGroupBuckets()).as("as it was created before").isEqualTo(-1);
        connection.close();
        broker.stop();

        start(EIGHT_BUCKETS);

        assertThat(inbound().getMessageCount()).as("kept in the journal").isEqualTo(3);
        assertThat(inbound().getGroupBuckets()).isEqualTo(BUCKETS);
        assertThat(inbound().isGroupRebalance()).isTrue();
        assertThat(inbound().isGroupRebalancePauseDispatch()).isTrue();
    }

    private void start(UnaryOperator<String> edit) throws Exception {
        var logins = ShippedBroker.shippedLogins(files, PASSWORD, "http://127.0.0.1:" + TestAgents.freePort() + "/api/login");
        broker = ShippedBroker.start(ShippedBroker.configuration(port, files.resolve("broker"), true, edit), logins);
        connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port).createConnection("hub", PASSWORD);
        connection.start();
    }

    private Queue inbound() {
        return broker.getActiveMQServer().locateQueue(SimpleString.of(INBOUND));
    }

    private static MessageConsumer consumer(Session session) throws JMSException {
        return session.createConsumer(session.createQueue(INBOUND));
    }

    /** Three webhooks of each of {@code customers} customers, customer by customer, as the hub sends them. */
    private static void sendThreeEach(Session session, String prefix, int customers) throws JMSException {
        MessageProducer producer = session.createProducer(session.createQueue(INBOUND));
        for (int seq = 0; seq < 3; seq++) {
            for (int customer = 0; customer < customers; customer++) {
                Message message = session.createTextMessage("{}");
                message.setStringProperty("JMSXGroupID", "page:" + prefix + "-" + customer);
                message.setIntProperty("seq", seq);
                producer.send(message);
            }
        }
        session.commit();
        producer.close();
    }

    /**
     * What each consumer received (in the order of {@code consumers}), until {@code count} messages in all or 10 s of nothing; each
     * message in a transaction of its own, as the hub's consumers take theirs.
     */
    private static List<List<Message>> receive(Session session, List<MessageConsumer> consumers, int count)
            throws JMSException {
        List<List<Message>> received = new ArrayList<>();
        consumers.forEach(consumer -> received.add(new ArrayList<>()));
        int total = 0;
        long idleSince = System.nanoTime();
        while (total < count && System.nanoTime() - idleSince < 10_000_000_000L) {
            for (int i = 0; i < consumers.size(); i++) {
                Message message = consumers.get(i).receive(20);
                if (message != null) {
                    session.commit();
                    received.get(i).add(message);
                    total++;
                    idleSince = System.nanoTime();
                }
            }
        }
        assertThat(total).as("messages received").isEqualTo(count);
        return received;
    }
}
