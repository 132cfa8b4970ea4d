package dev.baton.hub.expression;

/** An expression that uses what Baton does not allow, refused at deploy; the message follows "but". */
final class Refused extends RuntimeException {
    Refused(String reason) {
        super(reason);
    }
}
