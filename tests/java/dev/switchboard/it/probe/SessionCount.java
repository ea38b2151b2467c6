package dev.switchboard.it.probe;

import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the HTTP sessions the application has made (GET /api/probe/sessions): a handshake must make none. */
@WebListener
public class SessionCount implements HttpSessionListener {

    static final AtomicLong CREATED = new AtomicLong();

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        CREATED.incrementAndGet();
    }
}
