package dev.baton.hub.persistence;

import java.util.function.Consumer;

import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactions of API calls: they return only once their commit is durable
 * ({@link DurableCommits}), so what an API call confirmed survives a crash of the process.
 */
@Component
public class Transactions {

    private final TransactionTemplate tx;
    private final DurableCommits durable;

    public Transactions(TransactionTemplate tx, DurableCommits durable) {
        this.tx = tx;
        this.durable = durable;
    }

    public <T> T execute(TransactionCallback<T> work) {
        T result = tx.execute(work);
        durable.await();
        return result;
    }

    public void executeWithoutResult(Consumer<TransactionStatus> work) {
        tx.executeWithoutResult(work);
        durable.await();
    }
}
