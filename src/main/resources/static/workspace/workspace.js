// The agent protocol (docs/agent-protocol.md) over STOMP on WebSocket: the page logs in to the broker as the agent,
// reads the agent's inbox and sends commands. Where the broker is and what its destinations are named the hub says
// in settings.json. The version in this path is the stomp__stompjs WebJar's in pom.xml.
import { Client } from '/webjars/stomp__stompjs/7.2.1/esm6/index.js';

const settings = await (await fetch('settings.json')).json();
const $ = (id) => document.getElementById(id);
let client;
let requests = 0;

function show(status) {
  $('status').value = status;
}

function command(type, fields = {}) {
  const requestId = `${Date.now().toString(36)}-${++requests}`;
  client.publish({
    destination: settings.commands,
    headers: { 'content-type': 'application/json', persistent: 'true' },
    body: JSON.stringify({ type, requestId, ...fields }),
  });
  return requestId;
}

function received(message) {
  const body = JSON.parse(message.body);
  if (body.type === 'command.result') {
    $('result').value = `${body.command}: ${body.ok ? 'ok' : 'refused: ' + body.reason}`
      + (body.presence ? ` (${body.presence})` : '');
  }
  message.ack();
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const agent = $('agent').value.trim();
  show('connecting');
  client = new Client({
    brokerURL: settings.brokerUrl,
    connectHeaders: { login: agent, passcode: $('password').value },
    reconnectDelay: 0,
    onConnect: () => {
      client.subscribe(settings.inboxPrefix + agent, received, { ack: 'client-individual' });
      show('connected');
      $('available').disabled = false;
      // Without a sign of life for 45 s the hub sets the agent Offline.
      setInterval(() => client.connected && command('heartbeat'), 15000);
    },
    onStompError: (frame) => show(`refused: ${frame.headers.message}`),
    onWebSocketClose: () => {
      $('available').disabled = true;
      if ($('status').value === 'connected') {
        show('disconnected');
      }
    },
  });
  client.activate();
});

$('available').addEventListener('click', () => command('presence.set', { presence: 'AVAILABLE' }));

if (settings.brokerUrl) {
  $('connect').disabled = false;
} else {
  show('no WebSocket acceptor (hub.broker.websocket-acceptor, hub.broker.websocket-url)');
}
