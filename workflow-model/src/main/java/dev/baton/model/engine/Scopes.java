package dev.baton.model.engine;

/**
 * The arithmetic of scopes, the {@code /}-separated paths of {@link Token#scope()} (see {@link Engine} for
 * what each kind of segment means): a scope's parent, its innermost segment, the scope inside a
 * sub-process's token and the one a multi-instance body's instances run in.
 */
final class Scopes {

    private Scopes() {
    }

    /** The scope a multi-instance body's instances run in: {@code mN} for body token {@code tN}. */
    static String loopScope(Token body) {
        return child(body.scope(), "m" + body.id().substring(1));
    }

    /** The scope inside a sub-process's token. */
    static String innerScope(Token holder) {
        return child(holder.scope(), holder.id());
    }

    static String child(String scope, String segment) {
        return scope.isEmpty() ? segment : scope + "/" + segment;
    }

    /** The enclosing scope; {@code ""} at the top. */
    static String parent(String scope) {
        int cut = scope.lastIndexOf('/');
        return cut < 0 ? "" : scope.substring(0, cut);
    }

    /** The innermost segment of a scope. */
    static String segment(String scope) {
        return scope.substring(scope.lastIndexOf('/') + 1);
    }

    /** Whether {@code scope} is {@code outer} or lies inside it. */
    static boolean within(String scope, String outer) {
        return scope.equals(outer) || scope.startsWith(outer + "/");
    }
}
