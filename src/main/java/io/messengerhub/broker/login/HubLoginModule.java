package io.messengerhub.broker.login;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.activemq.artemis.json.JsonArray;
import org.apache.activemq.artemis.json.JsonObject;
import org.apache.activemq.artemis.spi.core.security.jaas.NoCacheLoginException;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.apache.activemq.artemis.utils.JsonLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JAAS login module for a standalone Artemis broker that asks the hub who logs in: it sends the user name and
 * password as HTTP Basic to the hub's {@code GET /api/login} and takes the id and broker roles the hub answers
 * ({@code agent} and {@code agent-<id>}, {@code supervisor}, {@code integration}, {@code admin}), the same as the
 * embedded broker gives. So the standalone broker knows every agent of config/agents.yaml and of the admin API, with
 * the hub's passwords, login locks and disabled state, the moment the hub does.
 * <p>
 * It ships on its own, in {@code target/broker-lib/messenger-hub-broker-login.jar} (the broker finds it through
 * {@code ARTEMIS_EXTRA_LIBS}), and uses nothing but the JDK and the broker's own classes. Options (login.config):
 * <ul>
 *   <li>{@code url}: the hub's login check, or several separated by commas (several hubs). They are asked in turn
 *       until one answers: 200 lets the login in, 401 refuses it; a hub that does not answer, or answers anything
 *       else, passes to the next.</li>
 *   <li>{@code timeout}: milliseconds per hub (default 5000).</li>
 * </ul>
 * When no hub answers the login is refused with a {@link NoCacheLoginException}. The broker does not remember that
 * refusal when this module is the first to refuse; behind another module that refused first (as in the shipped
 * login.config) JAAS reports that module's refusal, which the broker remembers for its
 * {@code security-invalidation-interval} (10 s by default), so the login works again at most that long after a hub
 * answers.
 */
public class HubLoginModule implements LoginModule {

    private static final Logger LOG = LoggerFactory.getLogger(HubLoginModule.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private Subject subject;
    private CallbackHandler callbacks;
    private List<URI> hubs = List.of();
    private Duration timeout = Duration.ofSeconds(5);
    private String user;
    private final Set<Principal> principals = new LinkedHashSet<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbacks, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.callbacks = callbacks;
        Object url = options.get("url");
        if (url != null) {
            hubs = Arrays.stream(url.toString().split(",")).map(String::trim).filter(hub -> !hub.isEmpty()).map(URI::create).toList();
        }
        Object millis = options.get("timeout");
        if (millis != null) {
            timeout = Duration.ofMillis(Long.parseLong(millis.toString().trim()));
        }
    }

    @Override
    public boolean login() throws LoginException {
        var name = new NameCallback("user: ");
        var password = new PasswordCallback("password: ", false);
        try {
            callbacks.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw (LoginException) new LoginException("could not read the login: " + e.getMessage()).initCause(e);
        }
        String id = name.getName();
        char[] secret = password.getPassword();
        password.clearPassword();
        if (id == null || id.isEmpty() || secret == null) {
            throw new FailedLoginException("a user name and password are required");
        }
        if (hubs.isEmpty()) {
            throw new NoCacheLoginException("HubLoginModule has no url option: no hub to ask for the login of '" + id + "'");
        }
        String authorization = "Basic " + Base64.getEncoder().encodeToString(
                (id + ":" + new String(secret)).getBytes(StandardCharsets.UTF_8));
        var unanswered = new ArrayList<String>();
        for (URI hub : hubs) {
            HttpResponse<String> answer;
            try {
                answer = HTTP.send(HttpRequest.newBuilder(hub).timeout(timeout).header("Authorization", authorization)
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                unanswered.add(hub + ": " + e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NoCacheLoginException("interrupted while asking " + hub + " for the login of '" + id + "'");
            }
            if (answer.statusCode() == 401) {
                throw new FailedLoginException("the hub refused the login of '" + id + "'");
            }
            if (answer.statusCode() != 200) {
                unanswered.add(hub + ": status " + answer.statusCode());
                continue;
            }
            List<String> roles;
            try {
                JsonObject checked = JsonLoader.readObject(new StringReader(answer.body()));
                if (!id.equals(checked.getString("id", null))) {
                    throw new FailedLoginException("the hub answered for '" + checked.getString("id", null) + "', not '" + id + "'");
                }
                JsonArray named = checked.getJsonArray("roles");
                roles = new ArrayList<>();
                for (int i = 0; i < named.size(); i++) {
                    roles.add(named.getString(i));
                }
            } catch (RuntimeException notTheHubsAnswer) {
                unanswered.add(hub + ": not a login check's answer (" + notTheHubsAnswer.getMessage() + ")");
                continue;
            }
            user = id;
            principals.add(new UserPrincipal(id));
            roles.forEach(role -> principals.add(new RolePrincipal(role)));
            return true;
        }
        LOG.warn("No hub answered for the login of '{}': {}", id, unanswered);
        throw new NoCacheLoginException("no hub answered for the login of '" + id + "': " + unanswered);
    }

    @Override
    public boolean commit() {
        if (user == null) {
            return false;
        }
        subject.getPrincipals().addAll(principals);
        return true;
    }

    @Override
    public boolean abort() {
        clear();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(principals);
        clear();
        return true;
    }

    private void clear() {
        user = null;
        principals.clear();
    }
}
