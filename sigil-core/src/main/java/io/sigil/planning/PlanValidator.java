package io.sigil.planning;

import io.sigil.errors.PlanExecutionError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a list of steps is a runnable DAG: at least one step, at most {@code maxSteps}, unique ids,
 * dependencies that exist, no cycles (Kahn's algorithm), tool steps naming an allowed tool. Reports every
 * problem at once so a model asked to repair its plan sees all of them.
 */
public final class PlanValidator {
    /** The hard ceiling of sigil-design.md section 7. */
    public static final int MAX_STEPS = 20;

    private final int maxSteps;
    private final Set<String> allowedTools;

    public PlanValidator(int maxSteps, Set<String> allowedTools) {
        if (maxSteps < 1 || maxSteps > MAX_STEPS) {
            throw new IllegalArgumentException("maxSteps must be within 1.." + MAX_STEPS + ", got " + maxSteps);
        }
        this.maxSteps = maxSteps;
        this.allowedTools = Set.copyOf(allowedTools);
    }

    /** Every problem of these steps; empty when they form a valid plan. */
    public List<String> problems(List<PlanStep> steps) {
        List<String> problems = new ArrayList<>();
        if (steps.isEmpty()) {
            problems.add("the plan has no steps");
            return problems;
        }
        if (steps.size() > maxSteps) {
            problems.add("the plan has " + steps.size() + " steps; at most " + maxSteps + " are allowed");
        }
        Map<String, PlanStep> byId = new LinkedHashMap<>();
        for (PlanStep s : steps) {
            if (s.stepId().isBlank()) problems.add("a step has an empty id");
            else if (byId.putIfAbsent(s.stepId(), s) != null) problems.add("step id '" + s.stepId() + "' is used twice");
        }
        for (PlanStep s : steps) {
            for (String dep : s.dependencies()) {
                if (dep.equals(s.stepId())) problems.add("step '" + s.stepId() + "' depends on itself");
                else if (!byId.containsKey(dep)) {
                    problems.add("step '" + s.stepId() + "' depends on unknown step '" + dep + "'");
                }
            }
            if (s.type() == StepType.TOOL_CALL) {
                if (s.toolName() == null || s.toolName().isBlank()) {
                    problems.add("tool_call step '" + s.stepId() + "' names no tool");
                } else if (!allowedTools.contains(s.toolName())) {
                    problems.add("step '" + s.stepId() + "' uses tool '" + s.toolName() + "', which is not allowed"
                            + (allowedTools.isEmpty() ? " (no tools are available)" : " (allowed: "
                            + String.join(", ", allowedTools.stream().sorted().toList()) + ")"));
                }
            }
        }
        if (problems.isEmpty()) {
            List<String> cycle = stepsOnCycles(steps);
            if (!cycle.isEmpty()) problems.add("the steps " + cycle + " form a dependency cycle");
        }
        return problems;
    }

    /** Throws {@link PlanExecutionError} listing every problem, if any. */
    public void check(List<PlanStep> steps) {
        List<String> problems = problems(steps);
        if (!problems.isEmpty()) {
            throw new PlanExecutionError("Invalid plan: " + String.join("; ", problems),
                    "The planner retries once with these problems; if it still fails, simplify the goal.");
        }
    }

    /** Step ids in an order where every step comes after its dependencies (Kahn's algorithm). */
    public static List<String> topologicalOrder(List<PlanStep> steps) {
        Map<String, Integer> indegree = new LinkedHashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (PlanStep s : steps) {
            indegree.put(s.stepId(), s.dependencies().size());
            for (String d : s.dependencies()) dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(s.stepId());
        }
        Deque<String> ready = new ArrayDeque<>();
        indegree.forEach((id, n) -> { if (n == 0) ready.add(id); });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(id);
            for (String next : dependents.getOrDefault(id, List.of())) {
                if (indegree.merge(next, -1, Integer::sum) == 0) ready.add(next);
            }
        }
        return order;
    }

    private static List<String> stepsOnCycles(List<PlanStep> steps) {
        Set<String> ordered = new HashSet<>(topologicalOrder(steps));
        return steps.stream().map(PlanStep::stepId).filter(id -> !ordered.contains(id)).toList();
    }
}
