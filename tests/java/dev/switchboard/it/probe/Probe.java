package dev.switchboard.it.probe;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the probe observers saw, by the id of the event that made them record it. */
@ApplicationScoped
public class Probe {

    private final Map<String, List<String>> records = new ConcurrentHashMap<>();

    public void record(String id, String what) {
        records.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(what);
    }

    public List<String> records(String id) {
        return List.copyOf(records.getOrDefault(id, List.of()));
    }
}
