package io.sigil.cli;

import java.io.Console;

/** Whether this process talks to a person's terminal. */
final class Terminal {
    private Terminal() { }

    /**
     * True when stdin and stdout are a terminal. On JDK 22+ {@link System#console()} exists even when redirected
     * and {@code Console.isTerminal()} tells; on JDK 21 the console exists only when interactive.
     */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
