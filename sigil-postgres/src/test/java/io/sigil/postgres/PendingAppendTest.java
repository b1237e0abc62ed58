package io.sigil.postgres;

import io.sigil.errors.StateError;
import io.sigil.events.AppendResult;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.WrongExpectedVersionError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PendingAppendTest {
    private static AppendRequest request(PendingAppend done) {
        return new AppendRequest("s", ExpectedVersion.ANY, List.of(), new String[0], false, done);
    }

    /** Waiters on their own threads, some interrupted before the release: every other one gets its own outcome. */
    @Test
    void everyWaiterOfAGroupWakesWithItsOutcomeAlsoWhenSomeGaveUp() throws Exception {
        int n = 300;
        var registered = new CountDownLatch(n);
        var outcomes = new ConcurrentHashMap<Integer, Object>();
        var group = new AppendRequest[n];
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < n; i++) {
            int k = i;
            threads.add(Thread.ofPlatform().start(() -> {
                var done = new PendingAppend();
                group[k] = request(done);
                registered.countDown();
                try {
                    outcomes.put(k, done.await());
                } catch (RuntimeException e) {
                    outcomes.put(k, e);
                }
            }));
        }
        assertThat(registered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100); // let them park
        for (int i = 7; i < n; i += 50) threads.get(i).interrupt(); // they give up: their children are woken for them
        for (int i = 7; i < n; i += 50) threads.get(i).join(10_000);
        var results = new ArrayList<Object>();
        for (int i = 0; i < n; i++) {
            results.add(i % 3 == 0 ? new WrongExpectedVersionError("s", ExpectedVersion.exact(1), 2)
                    : new AppendResult("s", i, i, i, i));
        }
        PendingAppend.release(List.of(group), results);
        for (Thread t : threads) t.join(10_000);
        assertThat(threads).allMatch(t -> !t.isAlive());
        for (int i = 0; i < n; i++) {
            Object o = outcomes.get(i);
            if (i >= 7 && (i - 7) % 50 == 0) {
                assertThat(o).as("waiter %d was interrupted", i).isInstanceOf(StateError.class);
            } else if (i % 3 == 0) {
                assertThat(o).as("waiter %d", i).isInstanceOf(WrongExpectedVersionError.class);
            } else {
                assertThat(o).as("waiter %d", i).isEqualTo(results.get(i));
            }
        }
    }

    @Test
    void aWaiterReleasedBeforeItWaitsReturnsAtOnce() {
        var done = new PendingAppend();
        var result = new AppendResult("s", 1, 1, 1, 1);
        PendingAppend.release(List.of(request(done)), List.of(result));
        assertThat(done.await()).isEqualTo(result);
    }
}
