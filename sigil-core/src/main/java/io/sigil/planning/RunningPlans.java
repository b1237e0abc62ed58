package io.sigil.planning;

import io.sigil.sessions.Caller;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plans executing in this process, by plan id, so that an operator can see and steer them (pause, resume,
 * abort) while their run goes on. A plan is here from its start until its run returns; what it did stays in its
 * session's events, which are the record once it has ended (or when it runs in another process).
 */
public final class RunningPlans {
    /** One executing plan: its run, the session it records into and the caller who owns that session. */
    public record Entry(Plan plan, PlanRun run, String sessionId, Caller owner, Instant startedAt) {
        /** Whether {@code caller} may see and steer this plan: its owner or an administrator. */
        public boolean visibleTo(Caller caller) {
            return caller.admin() || caller.subject().equals(owner.subject());
        }
    }

    private final ConcurrentHashMap<String, Entry> live = new ConcurrentHashMap<>();

    public void add(Entry e) { live.put(e.plan().planId(), e); }

    public void remove(String planId) { live.remove(planId); }

    /** The plan if it is executing here and {@code caller} may see it (another user's plan is simply not found). */
    public Optional<Entry> find(String planId, Caller caller) {
        return Optional.ofNullable(live.get(planId)).filter(e -> e.visibleTo(caller));
    }

    /** The plans executing here that {@code caller} may see, oldest first. */
    public List<Entry> visibleTo(Caller caller) {
        return live.values().stream().filter(e -> e.visibleTo(caller))
                .sorted(Comparator.comparing(Entry::startedAt)).toList();
    }
}
