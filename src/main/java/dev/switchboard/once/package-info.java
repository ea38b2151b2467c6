/** The {@link dev.switchboard.once.Once} interceptor binding: run a method's body once, per application or per connection. */
package dev.switchboard.once;
