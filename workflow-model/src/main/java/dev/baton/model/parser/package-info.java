/** Reads process definitions from YAML; the only package that may use SnakeYAML. */
package dev.baton.model.parser;
