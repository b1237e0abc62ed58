package io.sigil.bench.peers;

import java.lang.management.ManagementFactory;

/**
 * Cold start of one contender in a fresh JVM: {@code ColdStart <contender> <base-url>} builds it, performs one S1
 * task and prints {@code first-result-ms N}, the time from the JVM's start to the validated result.
 */
public final class ColdStart {
    private ColdStart() { }

    public static void main(String[] args) {
        Contender contender = Contender.create(args[0], args[1]);
        LeadTask.expectValid(contender.qualify(LeadTask.next(LeadTask.Scenario.S1)));
        long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("first-result-ms " + ms);
        System.out.flush();
        System.exit(0);
    }
}
