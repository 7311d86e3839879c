package io.messengerhub.workspace;

import io.messengerhub.conversation.AgentCommandException;
import io.messengerhub.customer.RouteCalls.RouteCallException;

/** A CRM route call made for an agent's command: no answer refuses the command with "the CRM did not answer: ...". */
@FunctionalInterface
interface CrmCall<T> {

    T call() throws RouteCallException;

    static <T> T crm(CrmCall<T> call) {
        try {
            return call.call();
        } catch (RouteCallException e) {
            throw new AgentCommandException("the CRM did not answer: " + e.getMessage());
        }
    }
}
