package dev.baton.model.parser;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * How a YAML node or a SnakeYAML error is located and named in a problem: its line, and {@code 'soon'},
 * {@code empty}, {@code a list} or {@code line 3, column 5: ...} for messages.
 */
final class YamlNodes {

    private YamlNodes() {
    }

    /** {@code line 3, column 5: mapping values are not allowed here}, with the context when SnakeYAML gives one. */
    static String describe(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
        // SnakeYAML phrases some problems as the second half of a sentence ("but found another document").
        if (problem != null && problem.startsWith("but ")) {
            problem = problem.substring(4);
        }
        StringBuilder text = new StringBuilder();
        if (mark != null) {
            text.append(position(mark)).append(": ");
        }
        text.append(problem);
        if (e.getProblem() != null && e.getContext() != null) {
            text.append(" (").append(e.getContext());
            if (e.getContextMark() != null) {
                text.append(" at ").append(position(e.getContextMark()));
            }
            text.append(')');
        }
        return text.toString();
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** What a value is, for messages: {@code 'soon'}, {@code empty}, {@code a list}, {@code a mapping}. */
    static String describe(Node node) {
        if (isNull(node)) {
            return "empty";
        } else if (node instanceof ScalarNode scalar) {
            return "'" + scalar.getValue() + "'";
        } else if (node instanceof SequenceNode) {
            return "a list";
        }
        return "a mapping";
    }
}
