/**
 * The demo: every snippet of the Nexios page "Integrating Events with WebSockets", on Switchboard. Uses only the
 * module's public API; the module never imports this package.
 */
package dev.switchboard.example;
