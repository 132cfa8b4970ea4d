/** The engine's decision function: (instance state, event) → (new state, effects). No I/O, no clock. */
package dev.baton.model.engine;
