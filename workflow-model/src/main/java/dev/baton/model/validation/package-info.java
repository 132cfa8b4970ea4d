/** Checks a definition and reports every problem at once, each naming its element. */
package dev.baton.model.validation;
