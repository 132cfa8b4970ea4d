-- The legacy table the shipped Camel route examples/routes/legacy-credit-limit.camel.yaml reads with
-- camel-sql: an example of a system with no connector of its own. Not used by the runtime.
CREATE TABLE legacy_credit_limit (
    customer_id  VARCHAR(10)    PRIMARY KEY,
    credit_limit DECIMAL(15, 2) NOT NULL,
    currency     VARCHAR(5)     NOT NULL,
    blocked      BOOLEAN        NOT NULL
);
INSERT INTO legacy_credit_limit (customer_id, credit_limit, currency, blocked) VALUES
    ('0100000000', 500000.00, 'EUR', FALSE),
    ('0100000001', 250000.00, 'EUR', FALSE),
    ('0100000002', 100000.00, 'EUR', FALSE),
    ('0100000003',  50000.00, 'EUR', TRUE),
    ('0100000004', 750000.00, 'EUR', FALSE),
    ('0100000005', 300000.00, 'EUR', FALSE);
