package io.sigil.planning;

/** The state of a plan as a whole. */
public enum PlanStatus { PENDING, RUNNING, PAUSED, COMPLETED, FAILED, ABORTED }
