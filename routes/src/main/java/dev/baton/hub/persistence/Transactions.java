package dev.baton.hub.persistence;

import java.util.function.Consumer;

import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/** Database transactions that return only once their commit is durable ({@link DurableCommits}). */
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

    /** Waits until what this thread committed so far is durable. */
    public void awaitDurable() {
        durable.await();
    }
}
